package dev.kinetic.internal.observe;

import dev.kinetic.JobInfo;
import dev.kinetic.JobStatus;
import dev.kinetic.internal.protocol.EventType;
import dev.kinetic.internal.protocol.FailurePhase;
import dev.kinetic.internal.protocol.JobEvent;
import dev.kinetic.internal.protocol.JobOutcome;
import dev.kinetic.spi.Backend;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.LiveState;
import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges what the backend says (alive, pending, gone) with what the store holds (outcome, events) into one
 * status, so a job never reads RUNNING forever after a crash. The backend is asked first: if it says the job is
 * gone, an outcome written before that is already visible in the store.
 */
public final class JobInspector {
    /** How the reason of a job that was recorded but never started begins (its submitter died in between). */
    public static final String NEVER_STARTED = "never started";

    private JobInspector() {}

    /**
     * What the store knows about one job, from one listing of its prefix.
     *
     * @param hostsStarted how many hosts recorded a start (host 0's {@code started} event is the job's)
     * @param peersEnded how many hosts other than host 0 recorded their end (under {@code hosts/<i>/})
     */
    public record StoreView(
            boolean hasRecord,
            boolean hasOutcome,
            JobStatus ended,
            boolean cancelRequested,
            Instant startedAt,
            Instant endedAt,
            int hostsStarted,
            int peersEnded) {

        /**
         * @throws dev.kinetic.KineticException when an event's type is unknown to this version of Kinetic
         */
        public static StoreView of(List<BlobInfo> keys) {
            boolean record = false;
            boolean outcome = false;
            JobStatus ended = null;
            boolean cancel = false;
            Instant started = null;
            Instant endedAt = null;
            Set<Integer> hostsStarted = new HashSet<>();
            Set<Integer> peersEnded = new HashSet<>();
            for (BlobInfo b : keys) {
                String key = b.key();
                int host = JobLayout.hostOf(key);
                if (host != 0) {
                    // A peer's own keys say how far that host got; they never decide the job's status.
                    EventType type = host > 0 ? JobEvent.typeOf(key) : null;
                    if (type == EventType.STARTED) {
                        hostsStarted.add(host);
                    } else if (type != null && type.isEnd()) {
                        peersEnded.add(host);
                    }
                } else if (key.endsWith("/job.json")) {
                    record = true;
                } else if (key.endsWith("/result.json")) {
                    outcome = true;
                } else {
                    EventType type = JobEvent.typeOf(key);
                    if (type == null) {
                        continue;
                    }
                    if (type == EventType.STARTED) {
                        started = JobEvent.timeOf(key);
                        hostsStarted.add(0);
                    } else if (type.isEnd()) {
                        ended = type.endStatus();
                        endedAt = JobEvent.timeOf(key);
                    } else if (type == EventType.CANCEL_REQUESTED) {
                        cancel = true;
                    }
                }
            }
            return new StoreView(
                    record, outcome, ended, cancel, started, endedAt, hostsStarted.size(), peersEnded.size());
        }

        /** Whether host 0 decided the job's end and every other host of {@code hosts} recorded its own end. */
        public boolean allHostsEnded(int hosts) {
            return (hasOutcome || ended != null) && peersEnded >= hosts - 1;
        }
    }

    /** Full status of one job: probes the backend, lists the job's keys, reads the outcome if any. */
    public static JobInfo describe(JobRecord record, BlobStore store, Backend backend) {
        LiveState live = backend.probe(record);
        recordAbandoned(record, store, live);
        StoreView view = StoreView.of(store.list(JobLayout.jobPrefix(record.id())));
        JobOutcome outcome = null;
        if (view.hasOutcome()) {
            outcome = store.get(JobLayout.resultMeta(record.id()))
                    .map(b -> JobOutcome.fromJson(b, JobLayout.resultMeta(record.id())))
                    .orElse(null);
        }
        return merge(record, view, outcome, live);
    }

    /**
     * When the backend gave up on the job ({@link LiveState#abandoned()}), no agent will write its outcome: writes
     * it here, FAILED in phase {@code backend} with the backend's reason, so the reason outlives the backend's
     * resources. Create-only, so an outcome an agent wrote first is kept.
     */
    public static void recordAbandoned(JobRecord record, BlobStore store, LiveState live) {
        if (!live.abandoned()) {
            return;
        }
        Instant now = Instant.now();
        JobOutcome outcome = JobOutcome.failed(FailurePhase.BACKEND, live.reason())
                .exitCode(live.exitCode())
                .endedAt(now)
                .build();
        if (store.putIfAbsent(JobLayout.resultMeta(record.id()), outcome.toJson())) {
            JobEvent end = new JobEvent(EventType.ENDED_FAILED, now, Map.of("reason", live.reason()));
            store.putIfAbsent(end.key(record.id()), end.toJson());
        }
    }

    /** The status from a store view and a live state, with the outcome when it was read. */
    public static JobInfo merge(JobRecord record, StoreView view, JobOutcome outcome, LiveState live) {
        JobInfo info = mergeJob(record, view, outcome, live);
        return record.hosts() > 1 ? gang(record, view, outcome, live, info) : info;
    }

    /**
     * A multi-host job is RUNNING only once every host has started, and has ended only when host 0 decided its end
     * and every other host has ended or been stopped (host 0's outcome is written first, so the others learn of it).
     */
    private static JobInfo gang(JobRecord record, StoreView view, JobOutcome outcome, LiveState live, JobInfo info) {
        int hosts = record.hosts();
        JobStatus status = info.status();
        if (status == JobStatus.FAILED && outcome != null && outcome.host() != null) {
            info = with(info, status, "host " + outcome.host() + " of " + hosts + ": " + info.reason());
        }
        boolean alive = live.phase() == LiveState.Phase.RUNNING || live.phase() == LiveState.Phase.PENDING;
        if ((status == JobStatus.SUCCEEDED || status == JobStatus.FAILED) && alive && !view.allHostsEnded(hosts)) {
            int stopping = hosts - 1 - view.peersEnded();
            return with(
                    info,
                    JobStatus.RUNNING,
                    "ended " + status + (info.reason() == null ? "" : " (" + info.reason() + ")") + "; waiting for "
                            + stopping + " of " + hosts + " hosts to end or stop");
        }
        if (status == JobStatus.RUNNING && view.hostsStarted() < hosts) {
            return with(
                    info,
                    JobStatus.PENDING,
                    view.hostsStarted() + " of " + hosts + " hosts started; the others are downloading and verifying "
                            + "the payload and classpath");
        }
        return info;
    }

    private static JobInfo with(JobInfo i, JobStatus status, String reason) {
        return new JobInfo(
                i.id(),
                i.function(),
                status,
                reason,
                i.accelerator(),
                i.backend(),
                i.createdAt(),
                i.startedAt(),
                status.isTerminal() ? i.endedAt() : null,
                i.exitCode(),
                i.labels(),
                i.hosts(),
                i.capturedEnv(),
                status == JobStatus.PENDING ? i.queuePosition() : null);
    }

    private static JobInfo mergeJob(JobRecord record, StoreView view, JobOutcome outcome, LiveState live) {
        JobStatus status;
        String reason = null;
        Integer exit = null;
        Instant started = view.startedAt();
        Instant ended = view.endedAt();
        Integer queued = null;
        if (!view.hasRecord()) {
            return info(record, JobStatus.NOT_FOUND, "the job's record is gone (cleaned up)", started, ended, null);
        }
        if (outcome != null) {
            status = outcome.status();
            reason = outcome.reason();
            if (status == JobStatus.FAILED
                    && live.reason() != null
                    && live.phase() == LiveState.Phase.EXITED
                    && (reason == null
                            || (!reason.contains(live.reason())
                                    && !live.reason().contains(reason)))) {
                // The backend may know more than the agent saw (the kernel's OOM kill of the task: OOMKilled).
                reason = (reason == null ? "" : reason + "; ") + "backend: " + live.reason();
            }
            exit = outcome.exitCode();
            started = outcome.startedAt() != null ? outcome.startedAt() : started;
            ended = outcome.endedAt();
        } else if (view.ended() != null) {
            status = view.ended();
        } else if (view.cancelRequested()) {
            status = JobStatus.CANCELLED;
            reason = live.phase() == LiveState.Phase.RUNNING ? "cancelling" : "cancelled by request";
        } else {
            switch (live.phase()) {
                case RUNNING -> {
                    status = started != null ? JobStatus.RUNNING : JobStatus.PENDING;
                    reason = started != null ? null : "preparing: downloading and verifying the payload and classpath";
                }
                case PENDING -> {
                    status = JobStatus.PENDING;
                    reason = live.reason();
                    queued = live.queuePosition();
                }
                case EXITED, GONE -> {
                    status = JobStatus.FAILED;
                    exit = live.exitCode();
                    if (live.reason() != null) {
                        reason = live.reason();
                    } else if (live.phase() == LiveState.Phase.GONE && started == null) {
                        reason = NEVER_STARTED + ": the backend has no trace of it (did the submitter die while "
                                + "submitting?); remove it with `kinetic jobs cleanup " + record.id() + "`";
                    } else {
                        reason = "agent exited without a result" + (exit == null ? "" : " (exit code " + exit + ")")
                                + "; it was killed or crashed";
                    }
                }
                default -> status = started != null ? JobStatus.RUNNING : JobStatus.PENDING;
            }
        }
        return info(record, status, reason, started, ended, exit, queued);
    }

    private static JobInfo info(
            JobRecord r, JobStatus status, String reason, Instant started, Instant ended, Integer exit) {
        return info(r, status, reason, started, ended, exit, null);
    }

    private static JobInfo info(
            JobRecord r,
            JobStatus status,
            String reason,
            Instant started,
            Instant ended,
            Integer exit,
            Integer queuePosition) {
        return new JobInfo(
                r.id().value(),
                r.function(),
                status,
                reason,
                r.accelerator(),
                r.backend(),
                r.createdAt(),
                started,
                status.isTerminal() ? ended : null,
                exit,
                r.labels(),
                r.hosts(),
                r.envNames(),
                queuePosition);
    }
}
