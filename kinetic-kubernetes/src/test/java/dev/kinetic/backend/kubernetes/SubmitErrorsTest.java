package dev.kinetic.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.KineticException;
import dev.kinetic.KineticSession;
import dev.kinetic.backend.kubernetes.testnode.MockCluster;
import dev.kinetic.testing.TestKinetic;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API server refuses the Job: the message says what to do, and the uploaded job artifacts are removed. */
class SubmitErrorsTest {
    @TempDir
    static Path shared;

    static MockCluster cluster;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        cluster = MockCluster.start(shared);
        refuse("forbidden-ns", 403, "Forbidden", "jobs.batch is forbidden: User \\\"ana\\\" cannot create resource");
        refuse("missing-ns", 404, "NotFound", "namespaces \\\"missing-ns\\\" not found");
        refuse("taken-ns", 409, "AlreadyExists", "jobs.batch already exists");
    }

    private static void refuse(String namespace, int code, String reason, String message) {
        cluster.server()
                .expect()
                .post()
                .withPath("/apis/batch/v1/namespaces/" + namespace + "/jobs")
                .andReturn(
                        code,
                        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":" + code
                                + ",\"reason\":\"" + reason + "\",\"message\":\"" + message + "\"}")
                .always();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void forbiddenSaysHowToCheckPermissions() throws Exception {
        assertRefused(
                "forbidden-ns",
                "cannot create jobs in namespace forbidden-ns",
                "`kubectl --context kinetic-mock auth can-i create jobs -n forbidden-ns`");
    }

    @Test
    void missingNamespaceSaysHowToCreateIt() throws Exception {
        assertRefused(
                "missing-ns",
                "namespace missing-ns does not exist",
                "kubectl --context kinetic-mock create namespace missing-ns");
    }

    @Test
    void conflictWithAForeignJobSaysHowToResolveIt() throws Exception {
        assertRefused(
                "taken-ns",
                "already exists in namespace taken-ns and was not created by this submission",
                "kubectl --context kinetic-mock delete job");
    }

    private void assertRefused(String namespace, String... messages) throws Exception {
        TestKinetic k = KubernetesFixture.kinetic(tmp, cluster);
        k.environment().put("KINETIC_NAMESPACE", namespace);
        try (KineticSession s = k.session()) {
            var refused = assertThatThrownBy(() -> s.remote(() -> 1).runAsync()).isInstanceOf(KineticException.class);
            for (String m : messages) {
                refused.hasMessageContaining(m);
            }
        }
        Path jobs = k.storeDir().resolve("jobs");
        assertThat(!Files.exists(jobs) || Files.list(jobs).findAny().isEmpty())
                .as("a definite failure leaves no job behind in the store")
                .isTrue();
    }
}
