package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kinetic.backend.kubernetes.testnode.KubernetesSchema;
import dev.kinetic.backend.kubernetes.testnode.MockCluster;
import dev.kinetic.spi.config.Profiles;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kinetic setup kubernetes}: applied twice with no change the second time, and its dry run. */
class SetupKubernetesCommandTest {
    private static final String GSA = "trainer@acme-ml-42.iam.gserviceaccount.com";

    @TempDir
    Path tmp;

    @Test
    void appliedTwiceChangesNothingTheSecondTime() throws Exception {
        try (MockCluster cluster = MockCluster.start(tmp)) {
            InProcessCli cli = new InProcessCli(tmp, cluster);
            InProcessCli.Run first = cli.run(
                    "setup", "kubernetes", "--namespace", "ml-jobs", "--gcp-service-account", GSA, "-o", "json");
            assertThat(first.code()).as(first.err()).isEqualTo(ExitCodes.OK);
            JsonNode done = CliJson.MAPPER.readTree(first.out());
            assertThat(actions(done))
                    .containsExactly(
                            "Namespace/ml-jobs created",
                            "ServiceAccount/kinetic created",
                            "Role/kinetic-submitter created");
            assertThat(done.get("steps").get(0).asText())
                    .isEqualTo("gcloud iam service-accounts add-iam-policy-binding " + GSA + " --role "
                            + "roles/iam.workloadIdentityUser --member \"serviceAccount:acme-ml-42.svc.id.goog[ml-jobs/"
                            + "kinetic]\"");

            ServiceAccount sa = cluster.client()
                    .serviceAccounts()
                    .inNamespace("ml-jobs")
                    .withName("kinetic")
                    .get();
            assertThat(sa.getMetadata().getAnnotations()).containsEntry("iam.gke.io/gcp-service-account", GSA);
            Role role = cluster.client()
                    .rbac()
                    .roles()
                    .inNamespace("ml-jobs")
                    .withName("kinetic-submitter")
                    .get();
            assertThat(role.getRules()).hasSize(6);
            assertThat(role.getRules())
                    .as("captured variables travel in a Secret per job")
                    .anySatisfy(rule -> {
                        assertThat(rule.getResources()).containsExactly("secrets");
                        assertThat(rule.getVerbs()).contains("create", "get", "delete");
                    });
            assertThat(role.getRules().get(0).getVerbs()).containsExactly("create", "get", "list", "watch", "delete");
            String versions = versions(cluster);

            InProcessCli.Run second =
                    cli.run("setup", "kubernetes", "--namespace", "ml-jobs", "--gcp-service-account", GSA);
            assertThat(second.code()).as(second.err()).isEqualTo(ExitCodes.OK);
            assertThat(second.out().lines().skip(1).limit(3).map(l -> l.split("\\s+")[1]))
                    .containsOnly("unchanged");
            assertThat(second.out()).contains("roles/iam.workloadIdentityUser").contains("create rolebinding");
            assertThat(versions(cluster)).as("no object was written again").isEqualTo(versions);

            Profiles profiles = new Profiles(tmp.resolve("home").resolve("profiles.json"));
            assertThat(profiles.active()).contains("default");
            assertThat(profiles.get("default").orElseThrow())
                    .containsEntry("service-account", "kinetic")
                    .containsEntry("namespace", "ml-jobs");
        }
    }

    @Test
    void theDryRunPrintsValidObjectsAndChangesNothing() throws Exception {
        try (MockCluster cluster = MockCluster.start(tmp)) {
            InProcessCli cli = new InProcessCli(tmp, cluster);
            cli.env().put("KINETIC_STORE", "gs://acme-ml/kinetic");
            InProcessCli.Run r = cli.run(
                    "setup",
                    "kubernetes",
                    "--namespace",
                    "ml-jobs",
                    "--service-account",
                    "trainer",
                    "--gcp-service-account",
                    GSA,
                    "--dry-run",
                    "-o",
                    "yaml");
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
            List<JsonNode> objects = new ArrayList<>();
            for (String doc : r.out().split("(?m)^---\n")) {
                if (!doc.isBlank()) {
                    objects.add(new YAMLMapper().readTree(doc));
                }
            }
            assertThat(objects)
                    .extracting(o -> o.get("kind").asText())
                    .containsExactly("Namespace", "ServiceAccount", "Role");
            for (JsonNode o : objects) {
                assertThat(KubernetesSchema.problems(o.toString()))
                        .as(o.get("kind").asText())
                        .isEmpty();
            }
            assertThat(r.err())
                    .contains("# then: gcloud iam service-accounts add-iam-policy-binding " + GSA)
                    .contains("[ml-jobs/trainer]")
                    .contains("# then: gcloud storage buckets add-iam-policy-binding gs://acme-ml --member "
                            + "serviceAccount:" + GSA + " --role roles/storage.objectUser");
            assertThat(cluster.client().namespaces().list().getItems())
                    .as("nothing created")
                    .isEmpty();
            assertThat(cluster.client()
                            .serviceAccounts()
                            .inAnyNamespace()
                            .list()
                            .getItems())
                    .isEmpty();
            assertThat(tmp.resolve("home").resolve("profiles.json"))
                    .as("no profile written")
                    .doesNotExist();

            InProcessCli.Run bad =
                    cli.run("setup", "kubernetes", "--gcp-service-account", "trainer@gmail.com", "--dry-run");
            assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(bad.err()).contains("'trainer@gmail.com' is not a Google service account email");
        }
    }

    private static List<String> actions(JsonNode done) {
        List<String> out = new ArrayList<>();
        done.get("changes")
                .forEach(c ->
                        out.add(c.get("object").asText() + " " + c.get("action").asText()));
        return out;
    }

    private static String versions(MockCluster cluster) {
        return cluster.client()
                        .namespaces()
                        .withName("ml-jobs")
                        .get()
                        .getMetadata()
                        .getResourceVersion() + " "
                + cluster.client()
                        .serviceAccounts()
                        .inNamespace("ml-jobs")
                        .withName("kinetic")
                        .get()
                        .getMetadata()
                        .getResourceVersion()
                + " "
                + cluster.client()
                        .rbac()
                        .roles()
                        .inNamespace("ml-jobs")
                        .withName("kinetic-submitter")
                        .get()
                        .getMetadata()
                        .getResourceVersion();
    }
}
