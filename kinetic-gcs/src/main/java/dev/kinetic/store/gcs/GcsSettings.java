package dev.kinetic.store.gcs;

import dev.kinetic.spi.store.StoreException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How a {@link GcsBlobStore} talks to Cloud Storage, read from the environment.
 *
 * <pre>{@code
 * GcsSettings settings = GcsSettings.fromEnvironment(Map.of("KINETIC_GCS_ENDPOINT", "http://127.0.0.1:4443"));
 * }</pre>
 *
 * @param endpoint {@code KINETIC_GCS_ENDPOINT}: an emulator or private endpoint; null for Google's. A plain
 *     {@code http://} endpoint is taken to be an emulator and gets no credentials.
 * @param project {@code KINETIC_GCS_PROJECT}, else {@code GOOGLE_CLOUD_PROJECT}; null to let the client find one
 * @param environment where {@code GOOGLE_APPLICATION_CREDENTIALS} is read from
 * @param chunkSize bytes sent per request of a resumable upload (a multiple of 256 KiB)
 * @param maxAttempts attempts per request, including the first, on transient errors
 * @param baseBackoff the first retry's delay; later ones grow exponentially with jitter
 * @param pageSize names per listing page
 */
public record GcsSettings(
        URI endpoint,
        String project,
        Map<String, String> environment,
        int chunkSize,
        int maxAttempts,
        Duration baseBackoff,
        int pageSize) {

    private static final int QUANTUM = 256 * 1024;
    static final int DEFAULT_CHUNK_SIZE = 16 * 1024 * 1024;

    public GcsSettings {
        environment = Map.copyOf(environment);
        if (chunkSize < QUANTUM || chunkSize % QUANTUM != 0) {
            throw new IllegalArgumentException(
                    "GCS chunk size must be a positive multiple of 256 KiB, got " + chunkSize);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1, got " + pageSize);
        }
    }

    /** Settings from {@code KINETIC_GCS_ENDPOINT}, {@code KINETIC_GCS_PROJECT} and the Google variables. */
    public static GcsSettings fromEnvironment(Map<String, String> env) {
        String endpoint = blankToNull(env.get("KINETIC_GCS_ENDPOINT"));
        String project = Optional.ofNullable(blankToNull(env.get("KINETIC_GCS_PROJECT")))
                .orElse(blankToNull(env.get("GOOGLE_CLOUD_PROJECT")));
        return new GcsSettings(
                endpoint == null ? null : endpoint(endpoint),
                project,
                env,
                DEFAULT_CHUNK_SIZE,
                4,
                Duration.ofMillis(500),
                1000);
    }

    public Optional<URI> endpointOverride() {
        return Optional.ofNullable(endpoint);
    }

    public Optional<String> explicitProject() {
        return Optional.ofNullable(project);
    }

    /** Whether the endpoint is a local emulator (plain HTTP), which must never receive real credentials. */
    public boolean isEmulator() {
        return endpoint != null && "http".equals(endpoint.getScheme());
    }

    /** Retries transient failures up to {@code attempts} in total, starting at {@code firstDelay}. */
    public GcsSettings withRetries(int attempts, Duration firstDelay) {
        return new GcsSettings(endpoint, project, environment, chunkSize, attempts, firstDelay, pageSize);
    }

    /** Sends resumable uploads in chunks of {@code bytes}. */
    public GcsSettings withChunkSize(int bytes) {
        return new GcsSettings(endpoint, project, environment, bytes, maxAttempts, baseBackoff, pageSize);
    }

    /** Lists {@code names} names per request. */
    public GcsSettings withPageSize(int names) {
        return new GcsSettings(endpoint, project, environment, chunkSize, maxAttempts, baseBackoff, names);
    }

    /** Leaves out the environment, which may hold secrets. */
    @Override
    public String toString() {
        return "GcsSettings[endpoint=" + endpoint + ", project=" + project + ", chunkSize=" + chunkSize
                + ", maxAttempts=" + maxAttempts + ", baseBackoff=" + baseBackoff + ", pageSize=" + pageSize + "]";
    }

    private static URI endpoint(String value) {
        try {
            URI uri = new URI(value.trim().replaceAll("/+$", ""));
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (Exception e) {
            throw new StoreException(
                    "invalid KINETIC_GCS_ENDPOINT '" + value
                            + "': expected an http(s) URL such as http://127.0.0.1:4443 (emulator) or https://storage.example.com");
        }
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }
}
