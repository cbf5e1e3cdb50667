package dev.kinetic.store.gcs;

import com.google.cloud.BaseServiceException;

/**
 * Explains why a bucket could not be reached, naming the bucket, the endpoint and the credentials in use, and what
 * to do about it.
 */
record AccessProblem(GcsLocation location, GcsConnection connection, BaseServiceException cause) {

    String message() {
        return "cannot access GCS bucket '" + location.bucket() + "' (store " + location + ") at "
                + connection.endpointDescription() + " with " + connection.credentialsDescription() + ": "
                + (cause.getCode() > 0 ? cause.getCode() + " " : "") + cause.getMessage() + ". " + hint();
    }

    private String hint() {
        return switch (cause.getCode()) {
            case 404 ->
                "The bucket does not exist: create it, or fix the store URI (--store, KINETIC_STORE or the profile).";
            case 403 ->
                "The credentials may not use this bucket: grant roles/storage.objectAdmin on it, or use other "
                        + "credentials (GOOGLE_APPLICATION_CREDENTIALS, gcloud auth application-default login).";
            case 401 ->
                "The credentials were refused: refresh them with 'gcloud auth application-default login' or "
                        + "check GOOGLE_APPLICATION_CREDENTIALS.";
            case 0 ->
                "Check that the endpoint is reachable (KINETIC_GCS_ENDPOINT for emulators) and the network or "
                        + "proxy settings.";
            default -> "Check the bucket name, the endpoint and the credentials.";
        };
    }
}
