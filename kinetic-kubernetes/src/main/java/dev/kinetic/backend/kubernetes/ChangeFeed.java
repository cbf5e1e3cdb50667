package dev.kinetic.backend.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes up whoever waits for a job as soon as its Job or one of its pods changes. One pair of watches per
 * namespace (Jobs and pods with Kinetic's managed-by label), shared by every waiter, so a batch of a hundred
 * jobs waiting for results costs two watch connections, not a poll per job.
 *
 * <p>Each job has a version that grows with every event about it (and with every reconnect, when events may
 * have been missed). A waiter reads the version before it looks at the job, then waits for it to change.
 */
final class ChangeFeed implements AutoCloseable {
    /** After a watch could not be opened (no RBAC permission to watch), try again this much later. */
    private static final long REOPEN_AFTER_MILLIS = 30_000;

    private final KubernetesClient client;
    private final Map<String, NamespaceFeed> feeds = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ChangeFeed(KubernetesClient client) {
        this.client = client;
    }

    /** The job's current version; pass it to {@link #await} after looking at the job. */
    long version(String namespace, String jobId) {
        return feed(namespace).version(jobId);
    }

    /**
     * Returns when the job's version differs from {@code seen}, or after {@code max}. Without a working watch
     * it simply sleeps {@code max}, which the caller bounds.
     */
    void await(String namespace, String jobId, long seen, Duration max) throws InterruptedException {
        NamespaceFeed feed = feed(namespace);
        feed.ensureOpen();
        feed.await(jobId, seen, Math.max(1, max.toMillis()));
    }

    private NamespaceFeed feed(String namespace) {
        return feeds.computeIfAbsent(namespace, NamespaceFeed::new);
    }

    @Override
    public void close() {
        closed = true;
        feeds.values().forEach(NamespaceFeed::close);
    }

    private final class NamespaceFeed {
        private final String namespace;
        private final Map<String, Long> versions = new HashMap<>();
        private long epoch;
        private Watch jobs;
        private Watch pods;
        private boolean open;
        private long failedAt;

        NamespaceFeed(String namespace) {
            this.namespace = namespace;
        }

        synchronized long version(String jobId) {
            return epoch + versions.getOrDefault(jobId, 0L);
        }

        synchronized void await(String jobId, long seen, long maxMillis) throws InterruptedException {
            long deadline = System.nanoTime() + maxMillis * 1_000_000;
            if (!open) {
                // No watch to wake us: sleep out maxMillis (the caller bounds it), unless close() ends it first.
                for (long left = maxMillis; left > 0 && !closed; left = (deadline - System.nanoTime()) / 1_000_000) {
                    wait(left);
                }
                return;
            }
            while (version(jobId) == seen && open && !closed) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                wait(left);
            }
        }

        synchronized void ensureOpen() {
            if (open || closed || (failedAt != 0 && System.currentTimeMillis() - failedAt < REOPEN_AFTER_MILLIS)) {
                return;
            }
            try {
                jobs = client.batch()
                        .v1()
                        .jobs()
                        .inNamespace(namespace)
                        .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                        .watch(new Bump<>());
                pods = client.pods()
                        .inNamespace(namespace)
                        .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                        .watch(new Bump<>());
                open = true;
                epoch++; // anything may have happened before the watch started
                notifyAll();
            } catch (RuntimeException e) {
                // Watching is an optimisation: without it waiters sleep for the bounded time they ask for.
                failedAt = System.currentTimeMillis();
                closeWatches();
            }
        }

        synchronized void bump(String jobId) {
            versions.merge(jobId, 1L, Long::sum);
            notifyAll();
        }

        synchronized void lost() {
            open = false;
            epoch++;
            closeWatches();
            notifyAll();
        }

        synchronized void close() {
            open = false;
            closeWatches();
            notifyAll();
        }

        private void closeWatches() {
            if (jobs != null) {
                jobs.close();
                jobs = null;
            }
            if (pods != null) {
                pods.close();
                pods = null;
            }
        }

        private final class Bump<T extends HasMetadata> implements Watcher<T> {
            @Override
            public void eventReceived(Action action, T resource) {
                Map<String, String> labels = resource.getMetadata().getLabels();
                String id = labels == null ? null : labels.get(Labels.JOB_ID);
                bump(id != null ? id : resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {
                // fabric8 reconnects by itself after network errors; it closes with an exception only when it
                // gives up (e.g. 410 Gone). Waiters wake up and the next one reopens the watch.
                lost();
            }

            @Override
            public void onClose() {
                // closed by us
            }
        }
    }
}
