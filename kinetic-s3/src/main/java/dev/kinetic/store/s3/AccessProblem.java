package dev.kinetic.store.s3;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Explains why a bucket could not be reached, naming the bucket, the endpoint and the credentials in use, and what
 * to do about it.
 */
record AccessProblem(S3Location location, S3Connection connection, SdkException cause) {

    String message() {
        return "cannot access S3 bucket '" + location.bucket() + "' (store " + location + ") at "
                + connection.endpointDescription() + " with " + connection.credentialsDescription() + ": "
                + reason() + ". " + hint();
    }

    private String reason() {
        if (cause instanceof AwsServiceException s) {
            String code =
                    s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            return s.statusCode() + (code == null ? "" : " " + code);
        }
        return cause.getMessage();
    }

    private String hint() {
        if (!(cause instanceof AwsServiceException s)) {
            return cause.getMessage() != null && cause.getMessage().contains("credentials")
                    ? "Provide credentials: AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or an instance role."
                    : "Check that the endpoint is reachable (KINETIC_S3_ENDPOINT for S3-compatible servers) "
                            + "and the network or proxy settings.";
        }
        return switch (s.statusCode()) {
            case 404 ->
                "The bucket does not exist: create it, or fix the store URI (--store, KINETIC_STORE or the profile).";
            case 403 ->
                "The credentials may not read this bucket: grant s3:ListBucket, s3:GetObject, s3:PutObject and "
                        + "s3:DeleteObject on it, or use other credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID).";
            case 301, 400 -> "The bucket may be in another region: set KINETIC_S3_REGION or AWS_REGION to its region.";
            default -> "Check the bucket name, the endpoint and the credentials.";
        };
    }
}
