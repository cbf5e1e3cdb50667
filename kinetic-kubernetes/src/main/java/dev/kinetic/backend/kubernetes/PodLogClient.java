package dev.kinetic.backend.kubernetes;

import dev.kinetic.KineticException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;

/**
 * The pod log API ({@code GET /api/v1/namespaces/NS/pods/POD/log}) with exactly the parameters Kinetic needs.
 * It calls the endpoint directly rather than through fabric8's log DSL, which first waits for the pod to be
 * ready (an extra watch per call) and hides the difference between a pod that is gone and a container that
 * has not started, which the log follower must tell apart.
 */
final class PodLogClient {
    private final KubernetesClient client;

    PodLogClient(KubernetesClient client) {
        this.client = client;
    }

    /**
     * What to ask for.
     *
     * @param follow keep the stream open while the container runs
     * @param timestamps prefix every line with its RFC 3339 time (how a reconnect avoids duplicates)
     * @param sinceTime only lines at or after this RFC 3339 time, or null
     * @param tailLines only the last N lines, or null
     */
    record Query(boolean follow, boolean timestamps, String sinceTime, Integer tailLines) {}

    /** The pod (404) is gone. */
    static final class PodGone extends Exception {
        private static final long serialVersionUID = 1L;

        PodGone(String message) {
            super(message);
        }
    }

    /** The API answered 400: the container has not started (or its logs are not available yet). */
    static final class NotStarted extends Exception {
        private static final long serialVersionUID = 1L;

        NotStarted(String message) {
            super(message);
        }
    }

    /**
     * Opens the log stream; the caller closes it.
     *
     * @throws PodGone if the pod does not exist
     * @throws NotStarted if the container has no log yet
     * @throws IOException if the request failed without an answer
     * @throws KineticException for other refusals (403 and the like), with an actionable message
     */
    InputStream open(String namespace, String pod, Query query, ClusterInfo cluster)
            throws PodGone, NotStarted, IOException {
        StringBuilder url = new StringBuilder(client.getMasterUrl().toString().replaceAll("/+$", ""))
                .append("/api/v1/namespaces/")
                .append(namespace)
                .append("/pods/")
                .append(pod)
                .append("/log?container=")
                .append(Labels.CONTAINER);
        if (query.follow()) {
            url.append("&follow=true");
        }
        if (query.timestamps()) {
            url.append("&timestamps=true");
        }
        if (query.sinceTime() != null) {
            url.append("&sinceTime=").append(URLEncoder.encode(query.sinceTime(), StandardCharsets.UTF_8));
        }
        if (query.tailLines() != null) {
            url.append("&tailLines=").append(query.tailLines());
        }
        var http = client.getHttpClient();
        HttpRequest.Builder request = http.newHttpRequestBuilder().uri(url.toString());
        if (query.follow()) {
            request.forStreaming(); // no overall request timeout on a stream that lasts as long as the job
        }
        HttpResponse<InputStream> response;
        try {
            response = http.sendAsync(request.build(), InputStream.class).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening the log of pod " + pod, e);
        } catch (ExecutionException e) {
            throw new IOException("cannot open the log of pod " + pod + ": " + e.getCause(), e.getCause());
        }
        if (response.isSuccessful()) {
            return response.body();
        }
        String body = readQuietly(response.body());
        switch (response.code()) {
            case 404 -> throw new PodGone("pod " + pod + " is gone: " + body);
            case 400 -> throw new NotStarted(body);
            default -> {
                KubernetesClientException e =
                        new KubernetesClientException("pod log request failed: " + body, response.code(), null);
                throw KubernetesErrors.map(e, "get", "pods/log", namespace, null, cluster);
            }
        }
    }

    private static String readQuietly(InputStream in) {
        if (in == null) {
            return "";
        }
        try (in) {
            byte[] bytes = in.readNBytes(4096);
            return new String(bytes, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
