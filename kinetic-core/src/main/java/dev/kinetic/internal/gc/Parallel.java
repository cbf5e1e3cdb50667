package dev.kinetic.internal.gc;

import dev.kinetic.KineticException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs store deletions a few at a time: each is a round trip (a file system call, an HTTP request), and a collection
 * makes tens of thousands of them. The first failure is thrown once every task has finished.
 */
final class Parallel {
    private static final int THREADS = 8;

    private Parallel() {}

    static <T> void forEach(List<T> items, Consumer<T> action) {
        if (items.size() < 2) {
            items.forEach(action);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, items.size()), r -> {
            Thread t = new Thread(r, "kinetic-gc");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> action.accept(item)));
            }
            RuntimeException first = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause() instanceof RuntimeException r
                                ? r
                                : new KineticException("collection failed: " + e.getCause(), e.getCause());
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KineticException("interrupted while collecting", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
