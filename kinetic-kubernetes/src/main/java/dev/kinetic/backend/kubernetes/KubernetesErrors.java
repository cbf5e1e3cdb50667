package dev.kinetic.backend.kubernetes;

import dev.kinetic.KineticException;
import dev.kinetic.spi.AccessRefusedException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;

/**
 * Turns API server errors into messages a user can act on: what Kinetic tried, in which namespace of which
 * cluster, and the command that checks or fixes it.
 */
final class KubernetesErrors {
    private KubernetesErrors() {}

    /**
     * Whether a failed write may still have been applied: no response at all (a timeout, a dropped connection)
     * or a server-side error that does not say the request was refused. The caller checks before it reports
     * failure.
     */
    static boolean isAmbiguous(KubernetesClientException e) {
        int code = e.getCode();
        if (code == 500 || code == 502 || code == 503 || code == 504) {
            return true;
        }
        if (code != 0) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException
                    || t instanceof InterruptedIOException
                    || t instanceof HttpTimeoutException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return true; // no HTTP status at all: the request may or may not have reached the server
    }

    /** Whether a read failed for a reason that may pass by itself (no response, overload, a server error). */
    static boolean isTransient(KubernetesClientException e) {
        int code = e.getCode();
        return code == 0 || code == 429 || code >= 500;
    }

    /**
     * The error for a failed API call.
     *
     * @param verb the RBAC verb ({@code create}, {@code get}, {@code list}, {@code delete})
     * @param resource the resource ({@code jobs}, {@code pods}, {@code pods/log})
     * @param namespace the namespace
     * @param jobId the job, or null
     */
    static KineticException map(
            KubernetesClientException e,
            String verb,
            String resource,
            String namespace,
            String jobId,
            ClusterInfo cluster) {
        String what = verb + " " + resource + " in namespace " + namespace;
        String detail = statusMessage(e);
        String message = switch (e.getCode()) {
            case 401 ->
                "the cluster " + cluster + " rejected Kinetic's credentials (401 Unauthorized) when trying to "
                        + what
                        + ": refresh them (on GKE: `gcloud container clusters get-credentials CLUSTER`), then check with `kubectl"
                        + cluster.contextFlag() + " get pods -n " + namespace + "`";
            case 403 ->
                "cannot " + what + " (403 Forbidden" + (detail.isEmpty() ? "" : ": " + detail) + "): check `kubectl"
                        + cluster.contextFlag() + " auth can-i " + verb + " " + resource + " -n " + namespace
                        + "`, and ask a cluster admin for a Role that allows it";
            case 404 ->
                verb.equals("create")
                        ? "cannot " + what + ": namespace " + namespace + " does not exist on cluster " + cluster
                                + "; create it with `kubectl" + cluster.contextFlag() + " create namespace " + namespace
                                + "` or choose another with KINETIC_NAMESPACE"
                        : "cannot " + what + ": not found (404" + (detail.isEmpty() ? "" : ": " + detail) + ")";
            case 409 ->
                "cannot " + what + ": a Job named " + jobId + " already exists in namespace " + namespace
                        + " and was not created by this submission; delete it with `kubectl" + cluster.contextFlag()
                        + " delete job " + jobId + " -n " + namespace + "` or submit again (a new id is drawn)";
            case 422 ->
                "the cluster refused the Job for " + jobId + " as invalid (422: " + detail
                        + "); check the image, service account and resource settings";
            case 0 ->
                "cannot " + what + " on cluster " + cluster + ": " + rootMessage(e) + "; check the network and `kubectl"
                        + cluster.contextFlag() + " get pods -n " + namespace + "`";
            default ->
                "cannot " + what + " on cluster " + cluster + " (" + e.getCode()
                        + (detail.isEmpty() ? "" : ": " + detail) + ")";
        };
        return e.getCode() == 401 || e.getCode() == 403 || e.getCode() == 404
                ? new AccessRefusedException(jobId, e.getCode(), message, e)
                : new KineticException(jobId, message, e);
    }

    private static String statusMessage(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage();
        }
        return "";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null
                ? t.getClass().getSimpleName()
                : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
