package dev.kinetic.backend.kubernetes;

import dev.kinetic.KineticException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Creates the API client from the standard kubeconfig ({@code KUBECONFIG}, else {@code ~/.kube/config}) of the
 * given environment, with an explicit context when one is set. The kubeconfig is only read: the user's current
 * context is never changed. Inside a pod with no kubeconfig, the pod's service account is used.
 */
final class KubeClientFactory {
    private KubeClientFactory() {}

    /** A client and the cluster it talks to. */
    record Connection(KubernetesClient client, ClusterInfo cluster) {}

    /**
     * Retries of a failed request (connection refused, 5xx). fabric8's default of 10 with exponential backoff
     * makes a command hang for most of a minute against an unreachable cluster before it says so.
     */
    static final int REQUEST_RETRIES = 3;

    static Connection connect(String context, Map<String, String> environment) {
        Config config = config(context, environment);
        config.setRequestRetryBackoffLimit(REQUEST_RETRIES);
        KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build();
        return new Connection(client, new ClusterInfo(context, config.getMasterUrl()));
    }

    /** The client configuration; reads files but contacts nothing. */
    static Config config(String context, Map<String, String> environment) {
        List<Path> candidates = kubeconfigFiles(environment);
        KubernetesClientException lastError = null;
        List<String> contexts = new ArrayList<>();
        boolean anyFile = false;
        for (Path file : candidates) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            anyFile = true;
            try {
                if (context != null) {
                    // fabric8 quietly falls back to the current context when the named one is missing: check first.
                    List<String> names = contextNames(file);
                    contexts.addAll(names);
                    if (!names.contains(context)) {
                        continue;
                    }
                }
                Config config = Config.fromKubeconfig(context, file.toFile());
                if (config.getMasterUrl() != null) {
                    return config;
                }
            } catch (KubernetesClientException e) {
                lastError = e; // e.g. the context is in another of the KUBECONFIG files
            } catch (RuntimeException e) {
                throw new KineticException(
                        "cannot read kubeconfig " + file + ": " + e.getMessage()
                                + "; fix the file or point KUBECONFIG at another",
                        e);
            }
        }
        if (anyFile && lastError == null && context != null) {
            throw new KineticException(
                    "kubeconfig " + candidates + " has no context '" + context + "' (it has " + contexts
                            + "); list them with `kubectl config get-contexts` and set KINETIC_CONTEXT to one of them");
        }
        if (lastError != null) {
            throw new KineticException(
                    "cannot use kubeconfig " + candidates + (context == null ? "" : " with context " + context) + ": "
                            + lastError.getMessage() + "; list the contexts with `kubectl config get-contexts` "
                            + "and set KINETIC_CONTEXT to one of them",
                    lastError);
        }
        if (environment.containsKey("KUBERNETES_SERVICE_HOST") && context == null) {
            // Inside a pod: the service account's token and CA, as every in-cluster client does.
            return Config.autoConfigure(null);
        }
        throw new KineticException(
                "no kubeconfig found (looked at " + candidates + "): set KUBECONFIG, or get "
                        + "credentials for a cluster (on GKE: `gcloud container clusters get-credentials CLUSTER --region REGION`)");
    }

    private static List<String> contextNames(Path file) {
        var parsed = io.fabric8.kubernetes.client.internal.KubeConfigUtils.parseConfig(file.toFile());
        List<String> names = new ArrayList<>();
        if (parsed.getContexts() != null) {
            parsed.getContexts().forEach(c -> names.add(c.getName()));
        }
        return names;
    }

    static List<Path> kubeconfigFiles(Map<String, String> environment) {
        String kubeconfig = environment.get("KUBECONFIG");
        List<Path> out = new ArrayList<>();
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            for (String part : kubeconfig.split(File.pathSeparator)) {
                if (!part.isBlank()) {
                    out.add(Path.of(part));
                }
            }
            return out;
        }
        String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
        out.add(Path.of(home, ".kube", "config"));
        return out;
    }
}
