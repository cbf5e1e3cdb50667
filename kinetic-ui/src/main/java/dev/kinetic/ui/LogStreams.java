package dev.kinetic.ui;

import dev.kinetic.JobHandle;
import io.javalin.http.sse.SseClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's log as Server-Sent Events: every line from the start, then new ones as the job writes them, until it ends.
 * Events: {@code lines} (a JSON array of lines, as many as were ready), {@code end} (the job has ended and every line
 * was sent: {@code {"status": ...}}) and {@code failed} ({@code {"error": ...}}). A comment every few seconds finds out
 * when the page has gone away, and the follower stops then, so a closed page does not keep a thread following.
 */
final class LogStreams implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogStreams.class);
    private static final long KEEP_ALIVE_MILLIS = 10_000;
    /** Lines a slow page may fall behind before the follower waits for it. */
    private static final int BACKLOG = 10_000;
    /** Lines per event: a long log's start arrives in a few large events rather than a flood of small ones. */
    private static final int BATCH = 1_000;

    private static final Object END = new Object();

    private final ExecutorService followers = Executors.newCachedThreadPool(new Daemons());

    /** Streams {@code job}'s log to {@code client}; returns when the job has ended or the page went away. */
    void stream(SseClient client, Supplier<JobHandle<Object>> job) {
        JobHandle<Object> handle;
        try {
            handle = job.get();
        } catch (RuntimeException e) {
            client.sendEvent("failed", Responses.write(Map.of("error", String.valueOf(e.getMessage()))));
            return;
        }
        BlockingQueue<Object> queue = new LinkedBlockingQueue<>(BACKLOG);
        Future<?> follower = followers.submit(() -> follow(handle, queue));
        try {
            relay(client, handle, queue, follower);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            follower.cancel(true);
        }
    }

    private static void follow(JobHandle<Object> job, BlockingQueue<Object> queue) {
        try {
            job.followLogs(line -> put(queue, line));
            put(queue, END);
        } catch (RuntimeException e) {
            if (!Thread.currentThread().isInterrupted()) {
                put(queue, e);
            }
        }
    }

    private static void put(BlockingQueue<Object> queue, Object item) {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the page stopped reading the log", e);
        }
    }

    private static void relay(SseClient client, JobHandle<Object> job, BlockingQueue<Object> queue, Future<?> follower)
            throws InterruptedException {
        List<String> batch = new ArrayList<>();
        while (!client.terminated()) {
            Object item = queue.poll(KEEP_ALIVE_MILLIS, TimeUnit.MILLISECONDS);
            if (item == null && follower.isDone() && queue.isEmpty()) {
                return; // stopped without a word: the server is shutting down
            }
            if (item == null) {
                client.sendComment("keep-alive");
                continue;
            }
            while (item instanceof String line) {
                batch.add(line);
                item = batch.size() < BATCH ? queue.poll() : null;
            }
            if (!batch.isEmpty()) {
                client.sendEvent("lines", Responses.write(batch));
                batch.clear();
            }
            if (item == END) {
                client.sendEvent(
                        "end", Responses.write(Map.of("status", job.status().name())));
                return;
            }
            if (item instanceof RuntimeException e) {
                client.sendEvent("failed", Responses.write(Map.of("error", String.valueOf(e.getMessage()))));
                return;
            }
        }
    }

    /** Stops every follower: the server is going away. */
    @Override
    public void close() {
        followers.shutdownNow();
        try {
            if (!followers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("log followers still running 5 s after the dashboard stopped");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Daemon threads, so a follower never keeps the JVM alive. */
    private static final class Daemons implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread t = new Thread(task, "kinetic-ui-log-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
