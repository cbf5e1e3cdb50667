package dev.kinetic.store.s3;

import dev.kinetic.spi.store.StoreException;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 client configured from {@link S3Settings}, with what error messages need to say about it: the endpoint
 * and the credentials in use (never the secret).
 */
final class S3Connection implements AutoCloseable {
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(20);

    private final S3Client client;
    private final AwsCredentialsProvider credentials;
    private final boolean credentialsFromEnvironment;
    private final String endpointDescription;

    private S3Connection(
            S3Client client,
            AwsCredentialsProvider credentials,
            boolean credentialsFromEnvironment,
            String endpointDescription) {
        this.client = client;
        this.credentials = credentials;
        this.credentialsFromEnvironment = credentialsFromEnvironment;
        this.endpointDescription = endpointDescription;
    }

    static S3Connection open(S3Settings settings) {
        Map<String, String> env = settings.environment();
        boolean fromEnvironment = has(env, "AWS_ACCESS_KEY_ID") && has(env, "AWS_SECRET_ACCESS_KEY");
        AwsCredentialsProvider credentials = fromEnvironment ? environmentCredentials(env) : defaultCredentials(env);
        Region region = region(settings);
        var builder = S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        // a 16 MiB part to a slow link can take a while, but a stalled socket should not hang a job
                        .socketTimeout(Duration.ofSeconds(120))
                        .maxConnections(64))
                .credentialsProvider(credentials)
                .region(region)
                .overrideConfiguration(o -> o.retryStrategy(retryStrategy(settings)));
        String endpoint = "AWS S3 in " + region.id();
        if (settings.endpointOverride().isPresent()) {
            // S3-compatible servers rarely support virtual-hosted bucket names (bucket.host), so use path style.
            builder.endpointOverride(settings.endpoint()).forcePathStyle(true);
            endpoint = settings.endpoint() + " (KINETIC_S3_ENDPOINT, region " + region.id() + ")";
        }
        return new S3Connection(builder.build(), credentials, fromEnvironment, endpoint);
    }

    S3Client client() {
        return client;
    }

    /** Where requests go, e.g. {@code http://127.0.0.1:9090 (KINETIC_S3_ENDPOINT, region us-east-1)}. */
    String endpointDescription() {
        return endpointDescription;
    }

    /**
     * The credentials in use without the secret, e.g. {@code access key id AKIA... from AWS_ACCESS_KEY_ID}, or why
     * none were found.
     */
    String credentialsDescription() {
        try {
            AwsCredentials resolved = credentials.resolveCredentials();
            String source = credentialsFromEnvironment
                    ? "AWS_ACCESS_KEY_ID"
                    : resolved.providerName().orElse("the default AWS credential chain");
            return "access key id " + resolved.accessKeyId() + " from " + source;
        } catch (SdkException e) {
            return "no AWS credentials (" + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        client.close();
    }

    /**
     * Standard AWS retry conditions (5xx, throttling, connection errors and timeouts; never other 4xx) with a bound
     * on attempts. The circuit breaker is off so a burst of failures cannot make later calls skip their retries.
     */
    private static RetryStrategy retryStrategy(S3Settings settings) {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(settings.maxAttempts())
                .backoffStrategy(BackoffStrategy.exponentialDelay(settings.baseBackoff(), MAX_BACKOFF))
                .circuitBreakerEnabled(false)
                .build();
    }

    private static AwsCredentialsProvider environmentCredentials(Map<String, String> env) {
        String id = env.get("AWS_ACCESS_KEY_ID").trim();
        String secret = env.get("AWS_SECRET_ACCESS_KEY").trim();
        AwsCredentials credentials = has(env, "AWS_SESSION_TOKEN")
                ? AwsSessionCredentials.create(
                        id, secret, env.get("AWS_SESSION_TOKEN").trim())
                : AwsBasicCredentials.create(id, secret);
        return StaticCredentialsProvider.create(credentials);
    }

    private static AwsCredentialsProvider defaultCredentials(Map<String, String> env) {
        DefaultCredentialsProvider.Builder builder = DefaultCredentialsProvider.builder();
        if (has(env, "AWS_PROFILE")) {
            builder.profileName(env.get("AWS_PROFILE").trim());
        }
        return builder.build();
    }

    private static Region region(S3Settings settings) {
        if (settings.explicitRegion().isPresent()) {
            return Region.of(settings.region());
        }
        try {
            DefaultAwsRegionProviderChain.Builder chain = DefaultAwsRegionProviderChain.builder();
            if (has(settings.environment(), "AWS_PROFILE")) {
                chain.profileName(settings.environment().get("AWS_PROFILE").trim());
            }
            return chain.build().getRegion();
        } catch (SdkException e) {
            if (settings.endpointOverride().isPresent()) {
                // S3-compatible servers mostly ignore the region, but requests must be signed for one.
                return Region.US_EAST_1;
            }
            throw new StoreException("no AWS region configured for the S3 store: set KINETIC_S3_REGION or AWS_REGION "
                    + "(e.g. us-east-1), or a region in the AWS profile");
        }
    }

    private static boolean has(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }
}
