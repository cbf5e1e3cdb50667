package dev.kinetic.store.s3;

import dev.kinetic.spi.store.StoreException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * How an {@link S3BlobStore} talks to S3, read from the environment.
 *
 * <pre>{@code
 * S3Settings settings = S3Settings.fromEnvironment(Map.of("KINETIC_S3_ENDPOINT", "http://127.0.0.1:9090"))
 *         .withPartSize(8 << 20);
 * }</pre>
 *
 * @param endpoint {@code KINETIC_S3_ENDPOINT}: an S3-compatible server, addressed path-style; null for AWS
 * @param region {@code KINETIC_S3_REGION}, else {@code AWS_REGION}/{@code AWS_DEFAULT_REGION}; null to use the
 *     SDK's default region chain
 * @param environment the environment credentials are read from ({@code AWS_ACCESS_KEY_ID}, {@code AWS_PROFILE}, ...)
 * @param partSize bytes per multipart part (at least 5 MiB, S3's minimum)
 * @param multipartThreshold files at least this large are uploaded in parts
 * @param maxAttempts attempts per request, including the first, on transient errors
 * @param baseBackoff the first retry's delay; later ones grow exponentially with jitter
 * @param pageSize keys per listing page and per batch delete (1 to 1000, S3's maximum)
 */
public record S3Settings(
        URI endpoint,
        String region,
        Map<String, String> environment,
        long partSize,
        long multipartThreshold,
        int maxAttempts,
        Duration baseBackoff,
        int pageSize) {

    /** S3's smallest allowed part (except the last). */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    static final long DEFAULT_PART_SIZE = 16L * 1024 * 1024;

    public S3Settings {
        environment = Map.copyOf(environment);
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("S3 part size must be at least 5 MiB, got " + partSize);
        }
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("pageSize must be between 1 and 1000, got " + pageSize);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
    }

    /** Settings from {@code KINETIC_S3_ENDPOINT}, {@code KINETIC_S3_REGION} and the AWS variables. */
    public static S3Settings fromEnvironment(Map<String, String> env) {
        URI endpoint = Optional.ofNullable(blankToNull(env.get("KINETIC_S3_ENDPOINT")))
                .map(S3Settings::endpoint)
                .orElse(null);
        String region =
                firstNonBlank(env.get("KINETIC_S3_REGION"), env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"));
        return new S3Settings(
                endpoint, region, env, DEFAULT_PART_SIZE, DEFAULT_PART_SIZE, 4, Duration.ofMillis(200), 1000);
    }

    public Optional<URI> endpointOverride() {
        return Optional.ofNullable(endpoint);
    }

    public Optional<String> explicitRegion() {
        return Optional.ofNullable(region);
    }

    /** Uses parts of {@code bytes} and starts multipart uploads at that size. */
    public S3Settings withPartSize(long bytes) {
        return new S3Settings(endpoint, region, environment, bytes, bytes, maxAttempts, baseBackoff, pageSize);
    }

    /** Retries transient failures up to {@code attempts} in total, starting at {@code firstDelay}. */
    public S3Settings withRetries(int attempts, Duration firstDelay) {
        return new S3Settings(
                endpoint, region, environment, partSize, multipartThreshold, attempts, firstDelay, pageSize);
    }

    /** Lists and batch-deletes {@code keys} keys per request. */
    public S3Settings withPageSize(int keys) {
        return new S3Settings(
                endpoint, region, environment, partSize, multipartThreshold, maxAttempts, baseBackoff, keys);
    }

    /** Leaves out the environment, which holds secrets. */
    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", partSize=" + partSize
                + ", multipartThreshold=" + multipartThreshold + ", maxAttempts=" + maxAttempts
                + ", baseBackoff=" + baseBackoff + ", pageSize=" + pageSize + "]";
    }

    private static URI endpoint(String value) {
        try {
            URI uri = new URI(value.trim());
            if (uri.getScheme() == null
                    || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (Exception e) {
            throw new StoreException("invalid KINETIC_S3_ENDPOINT '" + value
                    + "': expected an http(s) URL such as http://127.0.0.1:9090 or https://s3.example.com");
        }
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (blankToNull(v) != null) {
                return v.trim();
            }
        }
        return null;
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v;
    }
}
