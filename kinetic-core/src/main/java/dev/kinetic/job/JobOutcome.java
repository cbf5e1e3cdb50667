package dev.kinetic.job;

import dev.kinetic.JobStatus;
import dev.kinetic.KineticException;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * How a job ended ({@code jobs/<id>/result.json}), written by the agent after {@code result.bin}. Its
 * presence is the commit point: a job with an outcome has ended. It is plain JSON so status and listings
 * never deserialize Java objects.
 *
 * @param status SUCCEEDED, FAILED or CANCELLED
 * @param phase where a failure happened: download, verify, deserialize, execute, serialize-result, agent
 * @param reason one line for humans, e.g. {@code java.lang.IllegalStateException: bad input}
 * @param exceptionType the remote exception's class name, or null
 * @param exceptionMessage the remote exception's message, or null
 * @param remoteStackTrace the remote stack trace as printed, or null
 * @param frames the remote exception's own frames, to rebuild it when its class does not load here
 * @param exitCode the task process's exit code, or null when it never started
 * @param startedAt when the task started, or null
 * @param endedAt when the agent recorded the end
 * @param resultSha256 hash of {@code result.bin}, verified before it is deserialized; null when there is none
 * @param resultSize size of {@code result.bin}
 */
public record JobOutcome(
        JobStatus status,
        String phase,
        String reason,
        String exceptionType,
        String exceptionMessage,
        String remoteStackTrace,
        List<Frame> frames,
        Integer exitCode,
        Instant startedAt,
        Instant endedAt,
        String resultSha256,
        long resultSize) {

    public JobOutcome {
        frames = frames == null ? List.of() : List.copyOf(frames);
    }

    /** One stack frame in portable form. */
    public record Frame(String className, String method, String file, int line) {
        public StackTraceElement toElement() {
            return new StackTraceElement(className, method, file, line);
        }
    }

    /** Written without Jackson: the agent writes it, and must start fast (see {@link JsonText}). */
    public byte[] toJson() {
        List<JsonText> frameJson = new java.util.ArrayList<>(); // a loop, not a stream: the agent writes this
        for (Frame f : frames) {
            frameJson.add(JsonText.object().field("className", f.className()).field("method", f.method())
                    .field("file", f.file()).field("line", f.line()));
        }
        return JsonText.object().field("status", status).field("phase", phase).field("reason", reason)
                .field("exceptionType", exceptionType).field("exceptionMessage", exceptionMessage)
                .field("remoteStackTrace", remoteStackTrace).field("frames", frameJson).field("exitCode", exitCode)
                .field("startedAt", startedAt).field("endedAt", endedAt).field("resultSha256", resultSha256)
                .field("resultSize", resultSize).end().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public static JobOutcome fromJson(byte[] json, String where) {
        try {
            return Json.MAPPER.readValue(json, JobOutcome.class);
        } catch (IOException e) {
            throw new KineticException(null, "job outcome " + where + " is corrupt and cannot be read: "
                    + e.getMessage().lines().findFirst().orElse("") + "; the job's other artifacts are kept", null);
        }
    }
}
