package dev.kinetic.backend.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Follows a job's output through the pod log API while the pod exists. A stream that drops (a proxy timeout,
 * a restarted API server) is reopened from where it was, without repeating lines ({@link LogCursor}). The
 * follow ends when the container has terminated and its log was read to the end, or when the pod is gone.
 */
final class PodLogFollower {
    private static final long MIN_PAUSE_MILLIS = 50;
    private static final long MAX_PAUSE_MILLIS = 1000;

    /** Finds the job's current pod and waits for changes; implemented by the backend. */
    interface Pods {
        /** The job's newest pod, or null when it has none (yet, or any more). */
        Pod newest();

        /** Whether the Job still exists (a missing pod may still come). */
        boolean jobExists();

        /** Waits up to {@code millis} for the job or its pods to change. */
        void awaitChange(long millis) throws InterruptedException;
    }

    /** How a follow ended: {@code complete} when the container's log was read to its end. */
    record Result(boolean complete, long delivered) {}

    private final PodLogClient logs;
    private final ClusterInfo cluster;

    PodLogFollower(PodLogClient logs, ClusterInfo cluster) {
        this.logs = logs;
        this.cluster = cluster;
    }

    Result follow(String namespace, Pods pods, Consumer<String> sink) throws InterruptedException {
        LogCursor cursor = new LogCursor();
        String podName = null;
        long pause = MIN_PAUSE_MILLIS;
        while (true) {
            Pod pod = pods.newest();
            if (pod == null) {
                if (!pods.jobExists() || podName != null) {
                    return new Result(false, cursor.delivered());
                }
                pods.awaitChange(MAX_PAUSE_MILLIS); // the Job controller has not created it yet
                continue;
            }
            if (podName != null && !podName.equals(pod.getMetadata().getName())) {
                cursor = new LogCursor(); // a retry started a new pod: its log starts afresh
            }
            podName = pod.getMetadata().getName();
            ContainerState state = state(pod);
            boolean ended = (state != null && state.getTerminated() != null) || isFinished(pod);
            if (!ended && (state == null || state.getRunning() == null)) {
                pods.awaitChange(MAX_PAUSE_MILLIS); // still pending: nothing to read yet
                continue;
            }
            long before = cursor.delivered();
            // The state was read before the stream is opened: if the container had ended then, this stream
            // holds the whole rest of the log, and the follow is complete once it is read.
            boolean readToEnd;
            try (InputStream in = logs.open(
                    namespace, podName, new PodLogClient.Query(!ended, true, cursor.sinceTime(), null), cluster)) {
                readToEnd = read(in, cursor, sink, ended);
            } catch (PodLogClient.PodGone gone) {
                return new Result(false, cursor.delivered());
            } catch (PodLogClient.NotStarted notYet) {
                if (ended) {
                    return new Result(true, cursor.delivered()); // it ended without ever starting: no log
                }
                readToEnd = false;
            } catch (IOException dropped) {
                readToEnd = false;
            }
            if (ended && readToEnd) {
                return new Result(true, cursor.delivered());
            }
            pause = cursor.delivered() > before ? MIN_PAUSE_MILLIS : Math.min(MAX_PAUSE_MILLIS, pause * 2);
            Thread.sleep(pause);
        }
    }

    /** Reads whole lines; a last line without newline is delivered only when the log is complete. */
    private static boolean read(
            InputStream in, LogCursor cursor, java.util.function.Consumer<String> sink, boolean complete)
            throws IOException {
        cursor.beginStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    line.write(buffer, start, i - start);
                    deliver(line, cursor, sink);
                    start = i + 1;
                }
            }
            line.write(buffer, start, n - start);
        }
        if (complete && line.size() > 0) {
            deliver(line, cursor, sink);
        }
        return true;
    }

    private static void deliver(ByteArrayOutputStream bytes, LogCursor cursor, Consumer<String> sink) {
        String raw = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        if (raw.endsWith("\r")) {
            raw = raw.substring(0, raw.length() - 1);
        }
        LogCursor.Line line = LogCursor.Line.parse(raw);
        if (cursor.accept(line)) {
            sink.accept(line.text());
        }
    }

    private static boolean isFinished(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static ContainerState state(Pod pod) {
        ContainerStatus status = JobStateMapper.agentStatus(pod);
        return status == null ? null : status.getState();
    }
}
