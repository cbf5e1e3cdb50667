package dev.kinetic.backend.kubernetes.testnode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The container logs the test node keeps, as a kubelet does: every line with the time it was written. The
 * dispatcher serves them through the pod log API; a pod without an entry has no log (404), a pod whose
 * container has not started answers 400, as the real API does.
 */
public final class PodLogs {
    private final Map<String, PodLog> logs = new ConcurrentHashMap<>();
    private final AtomicInteger followRequests = new AtomicInteger();

    /** One pod's log. */
    public static final class PodLog {
        private final List<Entry> entries = new ArrayList<>();
        private volatile boolean started;

        record Entry(Instant time, String text) {}

        synchronized void append(String text) {
            entries.add(new Entry(Instant.now(), text));
        }

        void started() {
            started = true;
        }

        boolean isStarted() {
            return started;
        }

        synchronized List<Entry> snapshot() {
            return List.copyOf(entries);
        }
    }

    PodLog create(String namespace, String pod) {
        PodLog log = new PodLog();
        logs.put(namespace + "/" + pod, log);
        return log;
    }

    void remove(String namespace, String pod) {
        logs.remove(namespace + "/" + pod);
    }

    PodLog get(String namespace, String pod) {
        return logs.get(namespace + "/" + pod);
    }

    void countFollow() {
        followRequests.incrementAndGet();
    }

    /** How many {@code follow=true} requests were served: more than one per pod means the follower reconnected. */
    public int followRequests() {
        return followRequests.get();
    }

    /** Drops a pod's log, as a node does when the pod is gone: what status says must not depend on it. */
    public void discard(String namespace, String pod) {
        remove(namespace, pod);
    }

    /** The text of a pod's log, for assertions. */
    public List<String> lines(String namespace, String pod) {
        PodLog log = get(namespace, pod);
        List<String> out = new ArrayList<>();
        if (log != null) {
            log.snapshot().forEach(e -> out.add(e.text().stripTrailing()));
        }
        return out;
    }
}
