package dev.kinetic.store.gcs;

import com.google.auth.Credentials;
import com.google.auth.oauth2.ComputeEngineCredentials;
import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ImpersonatedCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.auth.oauth2.UserCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.StorageRetryStrategy;
import dev.kinetic.spi.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A Cloud Storage client configured from {@link GcsSettings}, with what error messages need to say about it: the
 * endpoint and the credentials in use (never a secret).
 */
final class GcsConnection implements AutoCloseable {
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(20);
    /** Bounds a whole retried call; generous because one call may carry a 16 MiB chunk over a slow link. */
    private static final Duration TOTAL_TIMEOUT = Duration.ofMinutes(10);

    private final Storage storage;
    private final String endpointDescription;
    private final String credentialsDescription;

    private GcsConnection(Storage storage, String endpointDescription, String credentialsDescription) {
        this.storage = storage;
        this.endpointDescription = endpointDescription;
        this.credentialsDescription = credentialsDescription;
    }

    static GcsConnection open(GcsSettings settings) {
        Credentials credentials;
        String source;
        if (settings.isEmulator()) {
            credentials = NoCredentials.getInstance();
            source = "no credentials (plain-HTTP emulator endpoint)";
        } else {
            String keyFile = settings.environment().get("GOOGLE_APPLICATION_CREDENTIALS");
            credentials =
                    keyFile == null || keyFile.isBlank() ? applicationDefault() : fromKeyFile(Path.of(keyFile.trim()));
            source = describe(credentials)
                    + (keyFile == null || keyFile.isBlank()
                            ? " from Application Default Credentials"
                            : " from GOOGLE_APPLICATION_CREDENTIALS=" + keyFile.trim());
        }
        StorageOptions.Builder builder = StorageOptions.http()
                .setCredentials(credentials)
                .setTransportOptions(HttpTransportOptions.newBuilder()
                        .setConnectTimeout(10_000)
                        .setReadTimeout(120_000)
                        .build())
                .setRetrySettings(StorageOptions.getDefaultRetrySettings().toBuilder()
                        .setMaxAttempts(settings.maxAttempts())
                        .setInitialRetryDelayDuration(settings.baseBackoff())
                        .setMaxRetryDelayDuration(MAX_BACKOFF)
                        .setTotalTimeoutDuration(TOTAL_TIMEOUT)
                        .build())
                // The uniform strategy also retries writes without preconditions: our writes replace an object with
                // the same bytes, so repeating one is harmless. 4xx other than 408/429 are never retried.
                .setStorageRetryStrategy(StorageRetryStrategy.getUniformStorageRetryStrategy());
        settings.explicitProject().ifPresent(builder::setProjectId);
        String endpoint = "Google Cloud Storage";
        if (settings.endpointOverride().isPresent()) {
            builder.setHost(settings.endpoint().toString());
            endpoint = settings.endpoint() + " (KINETIC_GCS_ENDPOINT)";
            if (settings.explicitProject().isEmpty()) {
                // an emulator needs no real project; naming one avoids a lookup through the metadata server
                builder.setProjectId("kinetic-local");
            }
        }
        return new GcsConnection(builder.build().getService(), endpoint, source);
    }

    Storage storage() {
        return storage;
    }

    /** Where requests go, e.g. {@code http://127.0.0.1:4443 (KINETIC_GCS_ENDPOINT)}. */
    String endpointDescription() {
        return endpointDescription;
    }

    /** The credentials in use, e.g. {@code service account ci@p.iam.gserviceaccount.com from ...}. */
    String credentialsDescription() {
        return credentialsDescription;
    }

    @Override
    public void close() {
        try {
            storage.close();
        } catch (Exception e) {
            // nothing useful to do; the HTTP transport holds no resources that outlive the JVM
        }
    }

    private static GoogleCredentials applicationDefault() {
        try {
            return GoogleCredentials.getApplicationDefault();
        } catch (IOException e) {
            throw new StoreException(
                    "no Google credentials found for the GCS store: run 'gcloud auth application-default "
                            + "login', set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, or run on Google Cloud "
                            + "with a service account (" + e.getMessage() + ")",
                    e);
        }
    }

    private static GoogleCredentials fromKeyFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return GoogleCredentials.fromStream(in);
        } catch (IOException e) {
            throw new StoreException(
                    "cannot read Google credentials from GOOGLE_APPLICATION_CREDENTIALS=" + file + ": "
                            + e.getMessage()
                            + ". Point it at a service-account key file, or unset it to use Application "
                            + "Default Credentials.",
                    e);
        }
    }

    private static String describe(Credentials credentials) {
        if (credentials instanceof ServiceAccountCredentials sa) {
            return "service account " + sa.getClientEmail();
        }
        if (credentials instanceof ImpersonatedCredentials ic) {
            return "impersonated service account " + ic.getAccount();
        }
        if (credentials instanceof UserCredentials uc) {
            return "user credentials (OAuth client " + uc.getClientId() + ")";
        }
        if (credentials instanceof ComputeEngineCredentials) {
            return "the metadata server's service account (Compute Engine / GKE)";
        }
        if (credentials instanceof ExternalAccountCredentials ea) {
            return "workload identity federation"
                    + (ea.getServiceAccountEmail() == null ? "" : " as " + ea.getServiceAccountEmail());
        }
        return credentials.getClass().getSimpleName();
    }
}
