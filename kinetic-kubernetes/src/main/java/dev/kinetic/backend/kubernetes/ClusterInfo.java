package dev.kinetic.backend.kubernetes;

/**
 * Which cluster a client talks to, for messages and for telling whether a job was submitted to this cluster.
 *
 * @param context the kubeconfig context, or null when the current one (or in-cluster config) is used
 * @param server the API server URL
 */
record ClusterInfo(String context, String server) {

    ClusterInfo {
        server = server == null ? "" : server.replaceAll("/+$", "");
    }

    /** {@code " --context NAME"} for kubectl hints, empty when the current context is meant. */
    String contextFlag() {
        return context == null ? "" : " --context " + context;
    }

    @Override
    public String toString() {
        return server + (context == null ? "" : " (context " + context + ")");
    }
}
