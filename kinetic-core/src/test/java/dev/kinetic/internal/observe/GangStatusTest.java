package dev.kinetic.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.JobInfo;
import dev.kinetic.JobStatus;
import dev.kinetic.internal.protocol.FailurePhase;
import dev.kinetic.internal.protocol.JobOutcome;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.LiveState;
import dev.kinetic.spi.store.BlobInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One status for a multi-host job, merged from host 0's outcome, every host's events and the backend. */
class GangStatusTest {
    private static final JobId ID = JobId.of("cpu-gang-20261128-000000-0000001");
    private static final LiveState RUNNING = new LiveState(LiveState.Phase.RUNNING, null, null, null);

    @Test
    void pendingUntilEveryHostStartedThenRunning() {
        JobRecord r = record(4);
        List<BlobInfo> keys = keys("job.json", "events/0000000000001-started", "hosts/1/events/0000000000002-started");
        JobInfo info = JobInspector.merge(r, JobInspector.StoreView.of(keys), null, RUNNING);
        assertThat(info.status()).isEqualTo(JobStatus.PENDING);
        assertThat(info.reason()).startsWith("2 of 4 hosts started");
        assertThat(info.hosts()).isEqualTo(4);

        keys.addAll(keys("hosts/2/events/0000000000003-started", "hosts/3/events/0000000000004-started"));
        assertThat(JobInspector.merge(r, JobInspector.StoreView.of(keys), null, RUNNING)
                        .status())
                .isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void theBackendsReasonExplainsWhyHostsAreNotScheduled() {
        LiveState pending = LiveState.pending("3 of 4 hosts scheduled: Unschedulable: 0/1 nodes are available");
        JobInfo info = JobInspector.merge(record(4), JobInspector.StoreView.of(keys("job.json")), null, pending);
        assertThat(info.status()).isEqualTo(JobStatus.PENDING);
        assertThat(info.reason()).startsWith("3 of 4 hosts scheduled: Unschedulable");
    }

    @Test
    void endedOnlyWhenHostZeroDecidedAndEveryOtherHostEnded() {
        JobRecord r = record(3);
        JobOutcome failed = JobOutcome.failed(FailurePhase.EXECUTE, "java.lang.IllegalStateException: boom")
                .host(2)
                .endedAt(Instant.now())
                .build();
        List<BlobInfo> keys = keys(
                "job.json",
                "result.json",
                "events/0000000000001-started",
                "events/0000000000009-ended-failed",
                "hosts/2/events/0000000000008-ended-failed");
        JobInfo stopping = JobInspector.merge(r, JobInspector.StoreView.of(keys), failed, RUNNING);
        assertThat(stopping.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(stopping.reason()).contains("waiting for 1 of 3 hosts to end or stop");
        assertThat(stopping.endedAt()).isNull();

        keys.addAll(keys("hosts/1/events/0000000000010-ended-cancelled"));
        JobInfo ended = JobInspector.merge(r, JobInspector.StoreView.of(keys), failed, RUNNING);
        assertThat(ended.status()).isEqualTo(JobStatus.FAILED);
        assertThat(ended.reason()).isEqualTo("host 2 of 3: java.lang.IllegalStateException: boom");

        JobInfo gone = JobInspector.merge(
                r,
                JobInspector.StoreView.of(keys.subList(0, 5)),
                failed,
                new LiveState(LiveState.Phase.EXITED, null, null, null));
        assertThat(gone.status()).as("no agent left to wait for").isEqualTo(JobStatus.FAILED);
    }

    @Test
    void aHostsOwnEventsNeverPassForTheJobs() {
        List<BlobInfo> keys = keys("job.json", "hosts/1/events/0000000000002-ended-failed", "hosts/1/result.json");
        JobInspector.StoreView view = JobInspector.StoreView.of(keys);
        assertThat(view.hasOutcome()).isFalse();
        assertThat(view.ended()).isNull();
        assertThat(view.peersEnded()).isEqualTo(1);
    }

    private static List<BlobInfo> keys(String... names) {
        List<BlobInfo> out = new ArrayList<>();
        for (String n : names) {
            out.add(new BlobInfo(JobLayout.jobPrefix(ID) + n, 1, Instant.now()));
        }
        return out;
    }

    private static JobRecord record(int hosts) {
        return JobRecord.builder()
                .id(ID)
                .function("gang", "dev.kinetic.Gang")
                .backend("local")
                .store("file:/store")
                .createdAt(Instant.parse("2026-11-28T00:00:00Z"))
                .submittedBy("me@here")
                .payload(new JobRecord.Artifact("0".repeat(64), 1, "payload.bin"))
                .outputPrefix(JobLayout.outputs(ID))
                .kineticVersion("0.1.0")
                .hosts(hosts)
                .build();
    }
}
