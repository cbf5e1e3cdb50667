package dev.kinetic.image;

import com.google.cloud.tools.jib.api.ImageReference;
import java.net.ConnectException;
import java.net.UnknownHostException;

/** Turns Jib's registry failures into messages that name the registry and say what to do. */
final class RegistryErrors {
    private RegistryErrors() {}

    static ImageException unauthorized(ImageReference image, boolean hadCredentials, Exception cause) {
        String registry = image.getRegistry();
        String why =
                hadCredentials ? "refused the credentials found for it" : "requires credentials and none were found";
        return new ImageException(
                "registry " + registry + " " + why + " (401 Unauthorized for " + image.getRepository()
                        + "); log in with `docker login " + registry
                        + "` (or `podman login --authfile ~/.docker/config.json "
                        + registry
                        + "`), or configure a credential helper for it in ~/.docker/config.json ($DOCKER_CONFIG)",
                cause);
    }

    /** A 401 over plain HTTP: Jib does not send credentials in clear text, so it never got to try them. */
    static ImageException credentialsNotSent(ImageReference image, Exception cause) {
        String registry = image.getRegistry();
        return new ImageException(
                "registry " + registry + " requires credentials (401 Unauthorized for "
                        + image.getRepository()
                        + "), and they are not sent over plain HTTP; serve the registry over HTTPS, or "
                        + "for a test registry you trust run with -DsendCredentialsOverHttp=true; log in with `docker login "
                        + registry
                        + "` or configure a credential helper for it in ~/.docker/config.json ($DOCKER_CONFIG)",
                cause);
    }

    static ImageException insecure(ImageReference image, Exception cause) {
        return new ImageException(
                "registry " + image.getRegistry() + " does not answer over verified HTTPS; if it is a "
                        + "plain-HTTP or self-signed registry you trust (e.g. one on localhost), allow insecure registries "
                        + "(RuntimeImage.Builder.allowInsecure(true))",
                cause);
    }

    static ImageException unreachable(ImageReference image, Exception cause) {
        String registry = image.getRegistry();
        Throwable root = rootCause(cause);
        String detail = root instanceof UnknownHostException
                ? "unknown host"
                : root instanceof ConnectException
                        ? "connection refused or timed out"
                        : String.valueOf(root.getMessage());
        return new ImageException(
                "cannot reach registry " + registry + " for " + image + " (" + detail + "); check the "
                        + "address and that the registry is running and reachable from here"
                        + (isLocal(registry) ? ", and allow insecure registries if it speaks plain HTTP" : ""),
                cause);
    }

    private static boolean isLocal(String registry) {
        return registry.startsWith("localhost") || registry.startsWith("127.") || registry.startsWith("[::1]");
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
