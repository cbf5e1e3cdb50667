package dev.kinetic.ui.view;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Why a job failed, as its agent recorded it in plain JSON ({@code result.json}), with the remote stack trace as text:
 * {@code GET /api/jobs/<id>/failure}. Read without deserializing any Java object.
 *
 * @param id the job id
 * @param status the status the outcome records (FAILED, CANCELLED, SUCCEEDED), or {@code null} while it has none
 * @param phase where it failed: download, verify, deserialize, execute, serialize-result, agent; or {@code null}
 * @param reason the one-line reason
 * @param exceptionType the class name of the exception the function threw, or {@code null}
 * @param exceptionMessage its message, or {@code null}
 * @param remoteStackTrace the stack trace as the task's JVM printed it, or {@code null}
 * @param exitCode the task process's exit code, or {@code null}
 */
@JsonPropertyOrder({
    "id",
    "status",
    "phase",
    "reason",
    "exceptionType",
    "exceptionMessage",
    "remoteStackTrace",
    "exitCode"
})
public record FailureView(
        String id,
        String status,
        String phase,
        String reason,
        String exceptionType,
        String exceptionMessage,
        String remoteStackTrace,
        Integer exitCode) {}
