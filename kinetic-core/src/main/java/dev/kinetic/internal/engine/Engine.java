package dev.kinetic.internal.engine;

import dev.kinetic.JobInfo;
import dev.kinetic.KineticSession.SubmitStep;
import dev.kinetic.internal.store.Stores;
import dev.kinetic.spi.Backend;
import dev.kinetic.spi.Backends;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.config.Settings;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.TransferListener;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What one session owns and shares with every step it runs: its settings and clock, the store and backend clients it
 * opened (one per store URI and backend name, never one per call), a background executor, and the listeners that
 * report progress. {@link #close()} releases all of it; nothing else opens a client.
 */
public final class Engine implements AutoCloseable {
    private final Settings settings;
    private final Clock clock;
    private final Map<String, BlobStore> stores = new ConcurrentHashMap<>();
    private final Map<String, Backend> backends = new ConcurrentHashMap<>();
    private final ExecutorService background = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kinetic-background");
        t.setDaemon(true);
        return t;
    });
    private volatile TransferListener transferListener = TransferListener.NONE;
    private volatile BiConsumer<SubmitStep, JobId> submitSteps = (step, id) -> {};
    private volatile Consumer<JobInfo> statusListener = info -> {};
    private volatile boolean closed;

    public Engine(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    public Settings settings() {
        return settings;
    }

    public Clock clock() {
        return clock;
    }

    /** The session's client for the store at {@code uri}, opened on first use. */
    public BlobStore store(URI uri) {
        checkOpen();
        return stores.computeIfAbsent(uri.toString(), u -> Stores.open(uri, settings.environment()));
    }

    /** The configured store. */
    public BlobStore defaultStore() {
        return store(settings.store());
    }

    /** The session's backend called {@code name}, created on first use. */
    public Backend backend(String name) {
        checkOpen();
        return backends.computeIfAbsent(name, n -> Backends.create(n, settings));
    }

    /** Runs background work (a collector's wait, a leftover's removal) on the session's daemon threads. */
    public ExecutorService background() {
        return background;
    }

    public TransferListener transferListener() {
        return transferListener;
    }

    /** Where upload and download progress goes. */
    public void transferListener(TransferListener listener) {
        this.transferListener = listener;
    }

    /** Reports a submission step (progress for people, crash points for tests). */
    public void submitStep(SubmitStep step, JobId id) {
        submitSteps.accept(step, id);
    }

    public void submitSteps(BiConsumer<SubmitStep, JobId> listener) {
        this.submitSteps = listener;
    }

    /**
     * Reports a status or reason a blocking wait saw change. The listener's own failures are not the job's: they
     * are dropped, so a broken listener cannot end a wait.
     */
    public void statusChanged(JobInfo info) {
        try {
            statusListener.accept(info);
        } catch (RuntimeException e) {
            // the listener's problem, not the wait's (see above)
        }
    }

    public void statusListener(Consumer<JobInfo> listener) {
        this.statusListener = listener;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this Kinetic session is closed; open a new one, or use the static "
                    + "Kinetic methods, whose shared session lives as long as the JVM");
        }
    }

    @Override
    public void close() {
        closed = true;
        background.shutdownNow();
        List<AutoCloseable> all = new ArrayList<>(backends.values());
        all.addAll(stores.values());
        backends.clear();
        stores.clear();
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                // closing is best effort: one client's failure must not keep the others open
            }
        }
    }
}
