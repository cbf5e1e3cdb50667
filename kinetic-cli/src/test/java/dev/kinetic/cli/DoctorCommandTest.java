package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.backend.kubernetes.testnode.MockCluster;
import dev.kinetic.image.LocalRegistry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kinetic doctor} against the mock API server: every check passing, then a missing namespace, a denied
 * SelfSubjectAccessReview (answered by a mock expectation) and a store that refuses writes, each with its exit code
 * and fix line; and the doctor's own run when a submit is refused.
 */
class DoctorCommandTest {
    private static final String SSAR = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

    @TempDir
    static Path registryDir;

    static LocalRegistry registry;
    static String image;

    @TempDir
    Path tmp;

    MockCluster cluster;
    InProcessCli cli;

    @BeforeAll
    static void startRegistry() throws Exception {
        if (LocalRegistry.installed()) {
            registry = LocalRegistry.start(registryDir.resolve("registry"), false);
            image = registry.pushBase("kinetic/runtime", registryDir.resolve("image"), "a runtime image stand-in");
        }
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void startCluster() throws Exception {
        LocalRegistry.assumeInstalled(); // the registry check needs a registry that answers
        cluster = MockCluster.start(Files.createDirectories(tmp.resolve("cluster")));
        cli = new InProcessCli(tmp, cluster);
        cli.env().put("KINETIC_IMAGE", image);
        cli.env().put("KINETIC_REGISTRY_INSECURE", "true");
        cli.env().put("KINETIC_SERVICE_ACCOUNT", "kinetic");
        cli.env().put("DOCKER_CONFIG", tmp.resolve("no-docker-config").toString());
    }

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyCheckPasses() throws Exception {
        ready(true);
        cluster.client()
                .nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("gke-ml-l4-pool-1")
                        .addToLabels("cloud.google.com/gke-accelerator", "nvidia-l4")
                        .endMetadata()
                        .build())
                .create();

        InProcessCli.Run table = cli.run("doctor", "--accelerator", "l4");
        assertThat(table.code()).as(table.out() + table.err()).isEqualTo(ExitCodes.OK);
        assertThat(table.out().lines().skip(1).map(l -> l.split("\\s+")[0]).distinct())
                .containsExactly("PASS");
        assertThat(table.err()).contains("kinetic doctor: 8 pass, 0 warn, 0 fail");

        InProcessCli.Run json = cli.run("doctor", "-o", "json");
        assertThat(json.code()).isEqualTo(ExitCodes.OK);
        JsonNode report = CliJson.MAPPER.readTree(json.out());
        assertThat(report.get("ok").asBoolean()).isTrue();
        List<String> names = new ArrayList<>();
        report.get("checks").forEach(c -> {
            names.add(c.get("name").asText());
            assertThat(c.has("status") && c.has("detail") && c.has("fix")).isTrue();
        });
        assertThat(names)
                .containsExactly("kubeconfig", "cluster", "namespace", "rbac", "service-account", "store", "registry");
    }

    @Test
    void aMissingNamespaceFailsWithTheSetupCommand() throws Exception {
        ready(true);
        cluster.client().namespaces().withName(InProcessCli.NAMESPACE).delete();
        InProcessCli.Run r = cli.run("doctor", "-o", "json");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        JsonNode namespace = check(r, "namespace");
        assertThat(namespace.get("status").asText()).isEqualTo("FAIL");
        assertThat(namespace.get("fix").asText())
                .isEqualTo("kinetic setup kubernetes --namespace " + InProcessCli.NAMESPACE);
    }

    @Test
    void aDeniedAccessReviewFailsRbacWithTheRoleToBind() throws Exception {
        ready(false);
        InProcessCli.Run r = cli.run("doctor");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        String rbac =
                r.out().lines().filter(l -> l.contains("rbac")).findFirst().orElseThrow();
        assertThat(rbac)
                .startsWith("FAIL")
                .contains("jobs create")
                .contains("pods/log get")
                .contains("create rolebinding kinetic-submitter --role kinetic-submitter");
        assertThat(r.err()).contains("1 fail (rbac)");
    }

    @Test
    void aStoreThatRefusesWritesFails() throws Exception {
        ready(true);
        Path notADirectory = Files.writeString(tmp.resolve("a-file"), "x");
        cli.env().put("KINETIC_STORE", notADirectory.resolve("store").toUri().toString());
        InProcessCli.Run r = cli.run("doctor", "-o", "json");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        JsonNode store = check(r, "store");
        assertThat(store.get("status").asText()).isEqualTo("FAIL");
        assertThat(store.get("detail").asText()).contains("cannot write, read and delete");
        assertThat(store.get("fix").asText()).contains("set KINETIC_STORE to another store");
    }

    @Test
    void aRefusedSubmitRunsTheDoctor() throws Exception {
        ready(false);
        cluster.server()
                .expect()
                .post()
                .withPath("/apis/batch/v1/namespaces/" + InProcessCli.NAMESPACE + "/jobs")
                .andReturn(
                        403,
                        new StatusBuilder()
                                .withStatus("Failure")
                                .withCode(403)
                                .withReason("Forbidden")
                                .withMessage("jobs.batch is forbidden: User \"ana\" cannot create resource \"jobs\"")
                                .build())
                .always();
        InProcessCli.Run r = cli.run(
                "submit",
                "--detach",
                "--classpath",
                KineticCli.fixturesClasspath(),
                "--main",
                "dev.kinetic.cli.fixtures.PrintLines");
        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err())
                .contains("403 Forbidden")
                .contains("kinetic: the cluster refused the submit (403); kinetic doctor: ")
                .contains("fail (rbac)")
                .contains("run `kinetic doctor` for the fixes");
    }

    /** A set-up cluster: the namespace, the service account, and access reviews answering {@code allowed}. */
    private void ready(boolean allowed) {
        cluster.client()
                .namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(InProcessCli.NAMESPACE)
                        .endMetadata()
                        .build())
                .create();
        cluster.client()
                .serviceAccounts()
                .inNamespace(InProcessCli.NAMESPACE)
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("kinetic")
                        .endMetadata()
                        .build())
                .create();
        cluster.server()
                .expect()
                .post()
                .withPath(SSAR)
                .andReturn(
                        201,
                        new SelfSubjectAccessReviewBuilder()
                                .withNewSpec()
                                .endSpec()
                                .withNewStatus()
                                .withAllowed(allowed)
                                .withReason(allowed ? "RBAC: allowed by RoleBinding" : null)
                                .endStatus()
                                .build())
                .always();
    }

    private static JsonNode check(InProcessCli.Run r, String name) throws Exception {
        for (JsonNode c : CliJson.MAPPER.readTree(r.out()).get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + r.out());
    }
}
