package dev.kinetic.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a multi-host job adds to the record, the store layout and the agent's command line. */
class MultiHostProtocolTest {
    private static final JobId ID = JobId.of("cpu-gang-20261128-000000-0000001");

    @Test
    void theRecordCarriesTheHostCountAndOldRecordsReadAsOneHost() {
        JobRecord record = record(4);
        assertThat(JobRecord.fromJson(record.toJson(), "test").hosts()).isEqualTo(4);
        String old = new String(record(1).toJson(), java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll(",\\s*\"hosts\"\\s*:\\s*1", "");
        assertThat(old).doesNotContain("hosts");
        assertThat(JobRecord.fromJson(old.getBytes(java.nio.charset.StandardCharsets.UTF_8), "old")
                        .hosts())
                .isEqualTo(1);
    }

    @Test
    void hostZeroKeepsTheJobsKeysAndTheOthersHaveTheirOwn() {
        assertThat(JobLayout.resultMeta(ID, 0)).isEqualTo(JobLayout.resultMeta(ID));
        assertThat(JobLayout.logPrefix(ID, 0)).isEqualTo(JobLayout.logPrefix(ID));
        assertThat(JobLayout.resultMeta(ID, 2)).isEqualTo("jobs/" + ID + "/hosts/2/result.json");
        assertThat(JobLayout.logSegment(ID, 2, 1)).isEqualTo("jobs/" + ID + "/hosts/2/log/00000001");
        assertThat(JobLayout.eventPrefix(ID, 3)).isEqualTo("jobs/" + ID + "/hosts/3/events/");
        assertThat(JobLayout.hostOutputs("outputs/" + ID + "/", 0)).isEqualTo("outputs/" + ID + "/");
        assertThat(JobLayout.hostOutputs("outputs/" + ID, 2)).isEqualTo("outputs/" + ID + "/host-2/");

        assertThat(JobLayout.hostOf(JobLayout.resultMeta(ID))).isZero();
        assertThat(JobLayout.hostOf(JobLayout.eventPrefix(ID, 3) + "0000000000001-started"))
                .isEqualTo(3);
        assertThat(JobLayout.hostOf("jobs/" + ID + "/hosts/x/result.json")).isEqualTo(-1);
        assertThat(JobLayout.jobIdOf(JobLayout.resultMeta(ID, 2))).isEqualTo(ID);
    }

    @Test
    void theAgentCommandCarriesTheGangAndParsesBack() {
        AgentCommand gang = AgentCommand.forRecord(record(3))
                .withGang(List.of("a-0.svc", "a-1.svc", "a-2.svc"), "a-0.svc:29500", true);
        assertThat(gang.arguments()).doesNotContain("--host-index").contains("--tpu-worker-env");
        AgentCommand parsed = AgentCommand.parse(gang.arguments().toArray(new String[0]));
        assertThat(parsed.hosts()).isEqualTo(3);
        assertThat(parsed.hostIndex()).as("read from JOB_COMPLETION_INDEX").isEqualTo(-1);
        assertThat(parsed.hostNames()).containsExactly("a-0.svc", "a-1.svc", "a-2.svc");
        assertThat(parsed.coordinator()).isEqualTo("a-0.svc:29500");
        assertThat(parsed.tpuWorkerEnv()).isTrue();

        AgentCommand second =
                AgentCommand.parse(gang.withHostIndex(2).arguments().toArray(new String[0]));
        assertThat(second.hostIndex()).isEqualTo(2);

        AgentCommand single =
                AgentCommand.parse(AgentCommand.forRecord(record(1)).arguments().toArray(new String[0]));
        assertThat(single.hosts()).isEqualTo(1);
        assertThat(AgentCommand.forRecord(record(1)).arguments()).doesNotContain("--hosts");
    }

    @Test
    void badGangOptionsAreClearErrors() {
        assertThatThrownBy(() -> AgentCommand.forRecord(record(3)).withGang(List.of("a", "b"), "a:1", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 hosts, but 2 host names");
        AgentCommand gang = AgentCommand.forRecord(record(3)).withGang(List.of("a", "b", "c"), "a:1", false);
        assertThatThrownBy(() -> gang.withHostIndex(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside 0..2");
        List<String> args = new java.util.ArrayList<>(gang.arguments());
        int names = args.indexOf("--host-names");
        args.set(names + 1, "a,b");
        assertThatThrownBy(() -> AgentCommand.parse(args.toArray(new String[0])))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 3 names in --host-names (got 2)");
    }

    @Test
    void aMultiHostIdLeavesRoomForTheHostIndexInPodHostNames() {
        String longName = "a-function-with-a-very-long-name-that-fills-the-whole-id";
        JobId id = JobId.next("v5e256", longName, Instant.parse("2026-11-28T00:00:00Z"), 64);
        assertThat((id.value() + "-63").length()).isLessThanOrEqualTo(JobId.MAX_LENGTH);
        assertThat(JobId.next("cpu", longName, Instant.now()).value()).hasSize(JobId.MAX_LENGTH);
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
