package dev.kinetic.backend.kubernetes;

import static dev.kinetic.backend.kubernetes.KubernetesFixture.NAMESPACE;
import static dev.kinetic.backend.kubernetes.KubernetesFixture.awaitInfo;
import static dev.kinetic.backend.kubernetes.KubernetesFixture.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.Cleanup;
import dev.kinetic.JobFailedException;
import dev.kinetic.JobHandle;
import dev.kinetic.JobInfo;
import dev.kinetic.JobStatus;
import dev.kinetic.KineticSession;
import dev.kinetic.backend.kubernetes.testnode.TestNode;
import dev.kinetic.testing.GangJobs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A multi-host job on the Kubernetes backend against the mock API server: one Indexed Job and a headless Service,
 * and a test node that runs every index's pod as its own process, so the hosts really talk over TCP through the
 * coordinator address (the node maps each pod's host name to 127.0.0.1 and a port of its own).
 */
class MultiHostKubernetesTest extends TestNodeCluster {
    private static final Duration MAX = Duration.ofSeconds(120);

    @Test
    void aFourHostTpuSliceIsOneIndexedJobWithAHeadlessServiceAndEachHostGetsItsEnvironment() throws Exception {
        try (KineticSession s = KubernetesFixture.session(tmp, cluster)) {
            JobHandle<Integer> job = s.remote(() -> {
                        System.out.println("env " + System.getenv("KINETIC_HOST_INDEX") + " "
                                + System.getenv("KINETIC_HOST_COUNT") + " "
                                + System.getenv("KINETIC_COORDINATOR_ADDRESS")
                                + " " + System.getenv("KINETIC_HOSTS") + " " + System.getenv("TPU_WORKER_ID") + " "
                                + System.getenv("TPU_WORKER_HOSTNAMES"));
                        return GangJobs.sumOfIndices();
                    })
                    .accelerator("tpu-v5e-16")
                    .runAsync();
            String id = job.id();
            assertThat(job.hosts()).isEqualTo(4);

            Job k8s = cluster.client()
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(NAMESPACE)
                    .withName(id)
                    .get();
            assertThat(k8s.getSpec().getCompletionMode()).isEqualTo("Indexed");
            assertThat(k8s.getSpec().getCompletions()).isEqualTo(4);
            assertThat(k8s.getSpec().getParallelism()).isEqualTo(4);
            assertThat(k8s.getSpec().getBackoffLimit()).isZero();
            List<PodFailurePolicyRule> rules =
                    k8s.getSpec().getPodFailurePolicy().getRules();
            assertThat(rules).hasSize(1);
            assertThat(rules.get(0).getAction()).isEqualTo("FailJob");
            assertThat(rules.get(0).getOnExitCodes().getOperator()).isEqualTo("NotIn");
            assertThat(k8s.getSpec().getTemplate().getSpec().getSubdomain()).isEqualTo(id);
            Container agent =
                    k8s.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(agent.getResources().getRequests().get("google.com/tpu").getAmount())
                    .isEqualTo("4");
            assertThat(k8s.getSpec().getTemplate().getSpec().getNodeSelector())
                    .containsEntry("cloud.google.com/gke-tpu-topology", "4x4");
            List<String> names = List.of(id + "-0." + id, id + "-1." + id, id + "-2." + id, id + "-3." + id);
            assertThat(agent.getArgs())
                    .containsSubsequence("--hosts", "4")
                    .containsSubsequence("--host-names", String.join(",", names))
                    .containsSubsequence("--coordinator", names.get(0) + ":29500")
                    .contains("--tpu-worker-env")
                    .doesNotContain("--host-index");

            Service service = cluster.client()
                    .services()
                    .inNamespace(NAMESPACE)
                    .withName(id)
                    .get();
            assertThat(service).as("the headless Service named after the job").isNotNull();
            assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
            assertThat(service.getSpec().getPublishNotReadyAddresses()).isTrue();
            assertThat(service.getSpec().getSelector()).containsEntry("kinetic.dev/job-id", id);
            assertThat(service.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(o -> {
                        assertThat(o.getKind()).isEqualTo("Job");
                        assertThat(o.getName()).isEqualTo(id);
                        assertThat(o.getUid()).isEqualTo(k8s.getMetadata().getUid());
                    });

            try {
                assertThat(job.result(MAX, Cleanup.NONE)).isEqualTo(6);
            } catch (RuntimeException e) {
                StringBuilder why = new StringBuilder(job.describe().toString());
                for (int host = 0; host < 4; host++) {
                    why.append("\nhost ").append(host).append(": ").append(job.tail(20, host));
                }
                for (Pod p : cluster.client()
                        .pods()
                        .inNamespace(NAMESPACE)
                        .withLabel("kinetic.dev/job-id", id)
                        .list()
                        .getItems()) {
                    why.append("\npod ")
                            .append(p.getMetadata().getName())
                            .append(": ")
                            .append(p.getStatus());
                }
                why.append("\nnode errors: ").append(node.errors());
                throw new AssertionError(why.toString(), e);
            }

            List<Pod> pods = cluster.client()
                    .pods()
                    .inNamespace(NAMESPACE)
                    .withLabel("kinetic.dev/job-id", id)
                    .list()
                    .getItems();
            Map<String, String> hostnames = new TreeMap<>();
            for (Pod p : pods) {
                hostnames.put(
                        p.getMetadata().getLabels().get("batch.kubernetes.io/job-completion-index"),
                        p.getSpec().getHostname());
            }
            assertThat(hostnames)
                    .isEqualTo(new TreeMap<>(Map.of("0", id + "-0", "1", id + "-1", "2", id + "-2", "3", id + "-3")));

            List<String> addresses = null;
            for (int host = 0; host < 4; host++) {
                String line = job.tail(50, host).stream()
                        .filter(l -> l.startsWith("env "))
                        .findFirst()
                        .orElseThrow();
                String[] env = line.split(" ");
                assertThat(env[1]).as("KINETIC_HOST_INDEX").isEqualTo(String.valueOf(host));
                assertThat(env[2]).as("KINETIC_HOST_COUNT").isEqualTo("4");
                List<String> hosts = List.of(env[4].split(","));
                assertThat(hosts)
                        .as("KINETIC_HOSTS, as the test node maps them")
                        .hasSize(4);
                assertThat(hosts).allMatch(h -> h.startsWith("127.0.0.1:")).doesNotHaveDuplicates();
                assertThat(env[3]).as("KINETIC_COORDINATOR_ADDRESS: host 0's").isEqualTo(hosts.get(0));
                addresses = addresses == null ? hosts : addresses;
                assertThat(hosts).as("the same on every host").isEqualTo(addresses);
                assertThat(env[5]).as("TPU_WORKER_ID").isEqualTo(String.valueOf(host));
                assertThat(env[6])
                        .as("TPU_WORKER_HOSTNAMES as GKE injects them, left alone")
                        .isEqualTo(String.join(",", names));
            }
            assertThat(s.listJobs()).extracting(JobInfo::id).containsExactly(id);

            job.cleanup(Cleanup.ALL);
            assertThat(cluster.client()
                            .services()
                            .inNamespace(NAMESPACE)
                            .withName(id)
                            .get())
                    .isNull();
            assertThat(cluster.client()
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(NAMESPACE)
                            .withName(id)
                            .get())
                    .isNull();
            assertThat(job.status()).isEqualTo(JobStatus.NOT_FOUND);
        }
    }

    @Test
    void oneUnschedulableIndexKeepsTheJobPendingWithThreeOfFourAndCleanupRemovesTheService() throws Exception {
        node.behaviour(job -> TestNode.Behaviour.atIndex(TestNode.Mode.UNSCHEDULABLE, 3));
        try (KineticSession s = KubernetesFixture.session(tmp, cluster)) {
            JobHandle<Integer> job =
                    s.remote(GangJobs::sleepOnEveryHost).hosts(4).runAsync();

            JobInfo pending = awaitInfo(
                    job,
                    // Hosts 0 to 2 may be scheduled one by one after host 3 is seen unschedulable;
                    // wait for the look in which all three are.
                    i -> i.status() == JobStatus.PENDING
                            && i.reason() != null
                            && i.reason().startsWith("3 of 4 hosts scheduled")
                            && i.reason().contains("Unschedulable"),
                    MAX);
            assertThat(pending.reason()).startsWith("3 of 4 hosts scheduled: host 3: Unschedulable: 0/1 nodes");
            assertThat(s.listJobs()).singleElement().satisfies(i -> {
                assertThat(i.status()).isEqualTo(JobStatus.PENDING);
                assertThat(i.hosts()).isEqualTo(4);
            });
            awaitTrue(() -> node.isRunning(NAMESPACE, job.id()), MAX, "hosts 0 to 2 running");

            job.cleanup(Cleanup.ALL);

            assertThat(cluster.client()
                            .services()
                            .inNamespace(NAMESPACE)
                            .withName(job.id())
                            .get())
                    .as("the headless Service is gone with the Job")
                    .isNull();
            assertThat(cluster.client()
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(NAMESPACE)
                            .withName(job.id())
                            .get())
                    .isNull();
            assertThat(node.isRunning(NAMESPACE, job.id())).isFalse();
            assertThat(job.status()).isEqualTo(JobStatus.NOT_FOUND);
        }
    }

    @Test
    void aFailingHostFailsTheWholeIndexedJobNamingThatHost() throws Exception {
        try (KineticSession s = KubernetesFixture.session(tmp, cluster)) {
            JobHandle<Integer> job = s.remote(() -> GangJobs.failOn(2)).hosts(4).runAsync();

            assertThatThrownBy(() -> job.result(MAX))
                    .isInstanceOf(JobFailedException.class)
                    .satisfies(e -> {
                        JobFailedException f = (JobFailedException) e;
                        assertThat(f.host()).as(f.getMessage()).isEqualTo(2);
                        assertThat(f.getCause())
                                .isInstanceOf(IllegalStateException.class)
                                .hasMessage("host 2 ran out of patience");
                    });
            awaitTrue(() -> !node.isRunning(NAMESPACE, job.id()), MAX, "every host stopped");
            JobInfo info = job.describe();
            assertThat(info.status()).isEqualTo(JobStatus.FAILED);
            assertThat(info.reason()).startsWith("host 2 of 4: java.lang.IllegalStateException");
            List<String> peers = new ArrayList<>();
            for (int host = 0; host < 4; host++) {
                peers.addAll(job.tail(50, host));
            }
            assertThat(peers).anyMatch(l -> l.contains("host 2 task-pid")).anyMatch(l -> l.contains("host 3 task-pid"));
            job.cleanup(Cleanup.ALL);
        }
    }
}
