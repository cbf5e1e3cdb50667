package dev.kinetic.image;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.registry.RegistryClient;
import com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException;
import com.google.cloud.tools.jib.registry.credentials.CredentialRetrievalException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Talks to registries the way Jib does, with Jib's own credential mechanisms (Docker config, credential helpers,
 * Google application default credentials), to read a manifest's digest without pulling or pushing anything.
 * Every failure becomes an {@link ImageException} naming the registry and the way out.
 */
final class RegistryAccess {
    private final boolean allowInsecure;
    private final Map<String, String> environment;
    private final Consumer<LogEvent> log;
    private final String userAgent;

    RegistryAccess(boolean allowInsecure, Map<String, String> environment, Consumer<LogEvent> log, String userAgent) {
        this.allowInsecure = allowInsecure;
        this.environment = Map.copyOf(environment);
        this.log = log;
        this.userAgent = userAgent;
    }

    /** Where credentials for {@code image} come from, in Jib's order of preference. */
    List<CredentialRetriever> credentialRetrievers(ImageReference image) {
        CredentialRetrieverFactory f = CredentialRetrieverFactory.forImage(image, log, environment);
        return List.of(f.dockerConfig(), f.wellKnownCredentialHelpers(), f.googleApplicationDefaultCredentials());
    }

    /**
     * The digest of {@code image}'s manifest (for a multi-platform image: of its index), or empty if the tag does
     * not exist. With {@code forPush}, authenticates for pushing, so missing push rights fail here, before any
     * work is done.
     */
    Optional<String> manifestDigest(ImageReference image, boolean forPush) {
        FailoverHttpClient http = new FailoverHttpClient(allowInsecure, false, log);
        Credential credential = credential(image);
        try {
            RegistryClient client = RegistryClient.factory(
                            EventHandlers.builder().add(LogEvent.class, log).build(),
                            image.getRegistry(),
                            image.getRepository(),
                            http)
                    .setCredential(credential)
                    .setUserAgent(userAgent)
                    .newRegistryClient();
            boolean bearer = forPush ? client.doPushBearerAuth() : client.doPullBearerAuth();
            if (!bearer && credential != null) {
                client.configureBasicAuth();
            }
            return client.checkManifest(image.getQualifier())
                    .map(m -> m.getDigest().toString());
        } catch (RegistryUnauthorizedException e) {
            throw RegistryErrors.unauthorized(image, credential != null, e);
        } catch (RegistryCredentialsNotSentException e) {
            throw RegistryErrors.credentialsNotSent(image, e);
        } catch (InsecureRegistryException e) {
            throw RegistryErrors.insecure(image, e);
        } catch (RegistryException | IOException | RuntimeException e) {
            throw RegistryErrors.unreachable(image, e);
        } finally {
            try {
                http.shutDown();
            } catch (IOException e) {
                // only connections to close; the answer is already in hand
            }
        }
    }

    private Credential credential(ImageReference image) {
        for (CredentialRetriever r : credentialRetrievers(image)) {
            try {
                Optional<Credential> c = r.retrieve();
                if (c.isPresent()) {
                    return c.get();
                }
            } catch (CredentialRetrievalException e) {
                throw new ImageException(
                        "cannot read the credentials for registry " + image.getRegistry() + ": "
                                + e.getMessage() + "; check the credential helper named in your Docker config ("
                                + "$DOCKER_CONFIG/config.json or ~/.docker/config.json)",
                        e);
            }
        }
        return null;
    }
}
