package dev.kinetic.internal.observe;

import dev.kinetic.Cleanup;
import dev.kinetic.JobCancelledException;
import dev.kinetic.JobFailedException;
import dev.kinetic.JobFailedException.RemoteException;
import dev.kinetic.JobHandle;
import dev.kinetic.JobInfo;
import dev.kinetic.JobNotFoundException;
import dev.kinetic.JobStatus;
import dev.kinetic.JobTimeoutException;
import dev.kinetic.KineticException;
import dev.kinetic.internal.engine.Engine;
import dev.kinetic.internal.log.StoreLog;
import dev.kinetic.internal.protocol.EventType;
import dev.kinetic.internal.protocol.FailurePhase;
import dev.kinetic.internal.protocol.IdempotencyKeys;
import dev.kinetic.internal.protocol.JobEvent;
import dev.kinetic.internal.protocol.JobOutcome;
import dev.kinetic.internal.protocol.SafeObjectInput;
import dev.kinetic.spi.Backend;
import dev.kinetic.spi.Hashing;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.LiveFollow;
import dev.kinetic.spi.store.BlobStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The {@link JobHandle} for every backend: the record says where to look; store and backend do the rest. */
public final class DefaultJobHandle<T> implements JobHandle<T> {
    private static final long MIN_POLL_MILLIS = 20;
    private static final long MAX_POLL_MILLIS = 250;
    /** With a backend that watches, a waiter looks again at least this often anyway (a missed event costs this). */
    private static final long WATCH_WAIT_MILLIS = 30_000;

    private final Engine engine;
    private final JobRecord record;
    private final BlobStore store;
    private final Backend backend;
    private final Class<T> resultType;

    public DefaultJobHandle(Engine engine, JobRecord record, BlobStore store, Backend backend, Class<T> resultType) {
        this.engine = engine;
        this.record = record;
        this.store = store;
        this.backend = backend;
        this.resultType = resultType;
    }

    @Override
    public String id() {
        return record.id().value();
    }

    @Override
    public String functionName() {
        return record.function();
    }

    /** The stored record. */
    public JobRecord record() {
        return record;
    }

    @Override
    public JobStatus status() {
        return describe().status();
    }

    @Override
    public JobInfo describe() {
        return JobInspector.describe(record, store, backend);
    }

    @Override
    public int hosts() {
        return record.hosts();
    }

    @Override
    public List<String> tail(int lines) {
        return tail(lines, 0);
    }

    @Override
    public List<String> tail(int lines, int host) {
        if (lines < 0) {
            throw new IllegalArgumentException("tail needs a line count >= 0, got " + lines);
        }
        checkHost(host);
        Optional<List<String>> live = backend.tailLive(record, lines, host);
        return live.orElseGet(() -> new StoreLog(store, record.id(), host).tail(lines));
    }

    private void checkHost(int host) {
        if (host < 0 || host >= record.hosts()) {
            throw new IllegalArgumentException("job " + id() + " runs on " + record.hosts() + " host"
                    + (record.hosts() == 1 ? " (host 0)" : "s (hosts 0 to " + (record.hosts() - 1) + ")")
                    + "; there is no host " + host);
        }
    }

    @Override
    public List<String> logs() {
        Optional<List<String>> live = backend.tailLive(record, Integer.MAX_VALUE);
        return live.orElseGet(() -> new StoreLog(store, record.id()).all());
    }

    @Override
    public void followLogs(Consumer<String> sink) {
        followLogs(0, sink);
    }

    @Override
    public void followLogs(int host, Consumer<String> sink) {
        checkHost(host);
        LiveFollow live = backend.followLive(record, host, sink);
        if (live.complete()) {
            return;
        }
        // The rest comes from the store log, which holds every line from the start: skip what was delivered.
        long[] skip = {live.delivered()};
        new StoreLog(store, record.id(), host)
                .follow(
                        line -> {
                            if (skip[0] > 0) {
                                skip[0]--;
                            } else {
                                sink.accept(line);
                            }
                        },
                        () -> status().isTerminal(),
                        500);
    }

    @Override
    public T result() {
        return result(null, Cleanup.ALL);
    }

    @Override
    public T result(Duration timeout) {
        return result(timeout, Cleanup.ALL);
    }

    @Override
    public T result(Duration timeout, Cleanup cleanup) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout
                    + "; use Duration.ZERO to check once, or result() to wait as long as it takes");
        }
        JobInfo info = await(timeout);
        switch (info.status()) {
            case SUCCEEDED -> {
                T value = readValue();
                cleanup(cleanup);
                return value;
            }
            case FAILED -> throw failure(info);
            case CANCELLED -> throw new JobCancelledException(id());
            default ->
                throw new JobNotFoundException(
                        id(), "store " + store.uri() + " (its result was already collected, or it was cleaned up)");
        }
    }

    @Override
    public CompletableFuture<T> resultAsync() {
        return CompletableFuture.supplyAsync(this::result, engine.background());
    }

    @Override
    public boolean cancel() {
        JobInfo info = describe();
        if (info.status().isTerminal()) {
            return false;
        }
        JobEvent cancel = new JobEvent(
                EventType.CANCEL_REQUESTED,
                engine.clock().instant(),
                Map.of("by", System.getProperty("user.name", "?")));
        store.put(cancel.key(record.id()), cancel.toJson());
        backend.cancel(record);
        return true;
    }

    @Override
    public void cleanup(Cleanup cleanup) {
        if (cleanup.backend()) {
            backend.delete(record);
        }
        if (cleanup.store()) {
            store.deletePrefix(JobLayout.jobPrefix(record.id()));
            if (record.idempotencyKey() != null) {
                IdempotencyKeys.release(store, record.idempotencyKey(), record.id());
            }
        }
    }

    @Override
    public List<dev.kinetic.JobHandle.OutputFile> outputs() {
        return OutputsById.list(store, outputPrefix());
    }

    @Override
    public List<java.nio.file.Path> downloadOutputs(java.nio.file.Path directory) {
        String prefix = outputPrefix();
        return OutputsById.download(
                store, id(), prefix, OutputsById.list(store, prefix), directory, engine.transferListener());
    }

    private String outputPrefix() {
        String p = record.outputPrefix() != null ? record.outputPrefix() : JobLayout.outputs(record.id());
        return p.endsWith("/") ? p : p + "/";
    }

    @Override
    public String toJson() {
        return new String(record.toJson(), StandardCharsets.UTF_8);
    }

    /** Waits for a terminal status with growing pauses (never a busy loop), or throws on timeout. */
    private JobInfo await(Duration timeout) {
        Instant deadline = timeout == null ? null : engine.clock().instant().plus(timeout);
        long pause = MIN_POLL_MILLIS;
        JobInfo seen = null;
        while (true) {
            JobInfo info = describe();
            if (seen == null
                    || seen.status() != info.status()
                    || !java.util.Objects.equals(seen.reason(), info.reason())) {
                engine.statusChanged(info);
                seen = info;
            }
            if (info.status().isTerminal()) {
                return info;
            }
            long left = deadline == null
                    ? Long.MAX_VALUE
                    : Duration.between(engine.clock().instant(), deadline).toMillis();
            if (left <= 0) {
                throw new JobTimeoutException(id(), timeout, info.status(), info.reason());
            }
            try {
                backend.awaitChange(record, Duration.ofMillis(Math.min(pause, left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KineticException(id(), "interrupted while waiting for job " + id(), e);
            }
            pause = Math.min(backend.watchesChanges() ? WATCH_WAIT_MILLIS : MAX_POLL_MILLIS, pause * 2);
        }
    }

    private T readValue() {
        JobOutcome outcome = outcome().orElseThrow(() -> alreadyCollected());
        byte[] data = verifiedResult(outcome).orElseThrow(() -> alreadyCollected());
        Object value;
        try {
            value = SafeObjectInput.read(data, loader());
        } catch (ClassNotFoundException e) {
            throw new KineticException(
                    id(),
                    "the result of job " + id() + " has class " + e.getMessage()
                            + ", which is not on this JVM's classpath; attach from a JVM that has it",
                    e);
        } catch (IOException e) {
            throw new KineticException(
                    id(),
                    "the result of job " + id() + " cannot be deserialized"
                            + (SafeObjectInput.isRefusal(e) ? " (refused by the deserialization filter)" : "") + ": "
                            + e,
                    e);
        }
        if (value != null && resultType != null && !resultType.isInstance(value)) {
            throw new KineticException(
                    id(),
                    "job " + id() + " returned a " + value.getClass().getName() + ", not the " + resultType.getName()
                            + " it was attached as",
                    null);
        }
        @SuppressWarnings("unchecked")
        T cast = (T) value;
        return cast;
    }

    private JobFailedException failure(JobInfo info) {
        Optional<JobOutcome> outcome = outcome();
        if (outcome.isEmpty()) {
            return new JobFailedException(id(), FailurePhase.AGENT.wireName(), info.reason(), null, 0, record.hosts());
        }
        JobOutcome o = outcome.get();
        Throwable cause = null;
        if (o.resultSha256() != null) {
            try {
                Optional<byte[]> data = verifiedResult(o);
                if (data.isPresent()) {
                    Object thrown = SafeObjectInput.read(data.get(), loader());
                    cause = thrown instanceof Throwable t ? t : null;
                }
            } catch (IOException | ClassNotFoundException | KineticException e) {
                cause = null; // rebuilt below from the portable description
            }
        }
        if (cause == null && o.exceptionType() != null) {
            cause = new RemoteException(
                    o.exceptionType(),
                    o.exceptionMessage(),
                    o.frames().stream().map(JobOutcome.Frame::toElement).toList());
        }
        return new JobFailedException(
                id(),
                o.phase() == null ? null : o.phase().wireName(),
                o.reason(),
                cause,
                o.host() == null ? 0 : o.host(),
                record.hosts());
    }

    private Optional<JobOutcome> outcome() {
        String key = JobLayout.resultMeta(record.id());
        return store.get(key).map(b -> JobOutcome.fromJson(b, store.uri() + " " + key));
    }

    /** The result bytes, after checking their SHA-256 against the outcome; nothing unverified is deserialized. */
    private Optional<byte[]> verifiedResult(JobOutcome outcome) {
        // A multi-host job that failed on another host keeps that host's exception under the host's prefix.
        String key = JobLayout.resultData(record.id(), outcome.host() == null ? 0 : outcome.host());
        Optional<byte[]> data = store.get(key);
        if (data.isEmpty()) {
            return Optional.empty();
        }
        String actual = Hashing.sha256(data.get());
        if (!actual.equals(outcome.resultSha256())) {
            throw new KineticException(
                    id(),
                    "result " + key + " in " + store.uri() + " is corrupt: expected sha256 "
                            + outcome.resultSha256() + " but it hashes to " + actual
                            + "; it was not deserialized, and the job's "
                            + "artifacts are kept",
                    null);
        }
        return data;
    }

    private KineticException alreadyCollected() {
        return new KineticException(
                id(),
                "the result of job " + id() + " was already collected and cleaned up "
                        + "(by another caller?); keep results with result(timeout, Cleanup.NONE)",
                null);
    }

    private ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : DefaultJobHandle.class.getClassLoader();
    }
}
