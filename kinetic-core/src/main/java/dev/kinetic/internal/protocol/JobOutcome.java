package dev.kinetic.internal.protocol;

import dev.kinetic.JobStatus;
import dev.kinetic.KineticException;
import dev.kinetic.spi.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How a job ended ({@code jobs/<id>/result.json}), written by the agent after {@code result.bin}. Its presence is
 * the commit point: a job with an outcome has ended. It is plain JSON so status and listings never deserialize Java
 * objects. Build one with {@link #succeeded}, {@link #failed}, {@link #cancelled} or {@link #toBuilder()}.
 *
 * @param status SUCCEEDED, FAILED or CANCELLED
 * @param phase where a failure happened, or null
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
 * @param host the index of the host whose failure ended a multi-host job, or null
 */
public record JobOutcome(
        JobStatus status,
        FailurePhase phase,
        String reason,
        String exceptionType,
        String exceptionMessage,
        String remoteStackTrace,
        List<Frame> frames,
        Integer exitCode,
        Instant startedAt,
        Instant endedAt,
        String resultSha256,
        long resultSize,
        Integer host) {

    public JobOutcome {
        frames = frames == null ? List.of() : List.copyOf(frames);
    }

    /** One stack frame in portable form. */
    public record Frame(String className, String method, String file, int line) {
        public StackTraceElement toElement() {
            return new StackTraceElement(className, method, file, line);
        }

        /** The frame of a local stack trace element. */
        public static Frame of(StackTraceElement e) {
            return new Frame(e.getClassName(), e.getMethodName(), e.getFileName(), e.getLineNumber());
        }
    }

    /** The function returned; its value is stored separately (see {@link Builder#result}). */
    public static Builder succeeded() {
        return new Builder(JobStatus.SUCCEEDED).exitCode(0);
    }

    /** The job failed in {@code phase}, for {@code reason}. */
    public static Builder failed(FailurePhase phase, String reason) {
        return new Builder(JobStatus.FAILED).phase(phase).reason(reason);
    }

    /** The job was cancelled; {@code reason} says by whom or how. */
    public static Builder cancelled(String reason) {
        return new Builder(JobStatus.CANCELLED).reason(reason);
    }

    /** A builder holding this outcome, to change some of it. */
    public Builder toBuilder() {
        Builder b = new Builder(status);
        b.phase = phase;
        b.reason = reason;
        b.exceptionType = exceptionType;
        b.exceptionMessage = exceptionMessage;
        b.remoteStackTrace = remoteStackTrace;
        b.frames = frames;
        b.exitCode = exitCode;
        b.startedAt = startedAt;
        b.endedAt = endedAt;
        b.resultSha256 = resultSha256;
        b.resultSize = resultSize;
        b.host = host;
        return b;
    }

    /** Written without Jackson: the agent writes it, and must start fast (see {@link JsonText}). */
    public byte[] toJson() {
        List<JsonText> frameJson = new ArrayList<>(); // a loop, not a stream: the agent writes this
        for (Frame f : frames) {
            frameJson.add(JsonText.object()
                    .field("className", f.className())
                    .field("method", f.method())
                    .field("file", f.file())
                    .field("line", f.line()));
        }
        return JsonText.object()
                .field("status", status)
                .field("phase", phase == null ? null : phase.wireName())
                .field("reason", reason)
                .field("exceptionType", exceptionType)
                .field("exceptionMessage", exceptionMessage)
                .field("remoteStackTrace", remoteStackTrace)
                .field("frames", frameJson)
                .field("exitCode", exitCode)
                .field("startedAt", startedAt)
                .field("endedAt", endedAt)
                .field("resultSha256", resultSha256)
                .field("resultSize", resultSize)
                .field("host", host)
                .end()
                .getBytes(StandardCharsets.UTF_8);
    }

    public static JobOutcome fromJson(byte[] json, String where) {
        try {
            return Json.MAPPER.readValue(json, JobOutcome.class);
        } catch (IOException e) {
            throw new KineticException(
                    null,
                    "job outcome " + where + " is corrupt and cannot be read: "
                            + e.getMessage().lines().findFirst().orElse("") + "; the job's other artifacts are kept",
                    null);
        }
    }

    /** Builds a {@link JobOutcome}; every setter returns this builder. */
    public static final class Builder {
        private final JobStatus status;
        private FailurePhase phase;
        private String reason;
        private String exceptionType;
        private String exceptionMessage;
        private String remoteStackTrace;
        private List<Frame> frames = List.of();
        private Integer exitCode;
        private Instant startedAt;
        private Instant endedAt;
        private String resultSha256;
        private long resultSize;
        private Integer host;

        private Builder(JobStatus status) {
            this.status = status;
        }

        public Builder phase(FailurePhase phase) {
            this.phase = phase;
            return this;
        }

        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        /** The exception the function threw, in portable form. */
        public Builder exception(String type, String message, String stackTrace, List<Frame> frames) {
            this.exceptionType = type;
            this.exceptionMessage = message;
            this.remoteStackTrace = stackTrace;
            this.frames = frames;
            return this;
        }

        public Builder exitCode(Integer exitCode) {
            this.exitCode = exitCode;
            return this;
        }

        public Builder startedAt(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        public Builder endedAt(Instant endedAt) {
            this.endedAt = endedAt;
            return this;
        }

        /** The stored {@code result.bin}'s hash and size. */
        public Builder result(String sha256, long size) {
            this.resultSha256 = sha256;
            this.resultSize = size;
            return this;
        }

        public Builder host(Integer host) {
            this.host = host;
            return this;
        }

        public JobOutcome build() {
            return new JobOutcome(
                    status,
                    phase,
                    reason,
                    exceptionType,
                    exceptionMessage,
                    remoteStackTrace,
                    frames,
                    exitCode,
                    startedAt,
                    endedAt,
                    resultSha256,
                    resultSize,
                    host);
        }
    }
}
