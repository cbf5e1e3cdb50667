package dev.kinetic.backend.kubernetes;

import dev.kinetic.KineticException;
import dev.kinetic.spi.ClusterSetup;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code kinetic setup kubernetes} applies: the namespace, the pods' service account (annotated for Workload
 * Identity when a Google service account is given) and the Role {@value Permissions#ROLE} with what a submitting
 * user needs ({@link Permissions}); and the commands Kinetic cannot run itself.
 */
final class ClusterSetupPlan {
    private static final Pattern GSA = Pattern.compile(
            "[a-z][a-z0-9-]{4,28}[a-z0-9]@([a-z][a-z0-9-]{4,28}[a-z0-9])" + "\\.iam\\.gserviceaccount\\.com");
    private static final Map<String, String> MANAGED = Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);

    private ClusterSetupPlan() {}

    static List<HasMetadata> objects(ClusterSetup.Request r) {
        List<HasMetadata> out = new ArrayList<>();
        out.add(new NamespaceBuilder()
                .withNewMetadata()
                .withName(r.namespace())
                .withLabels(MANAGED)
                .endMetadata()
                .build());
        var sa = new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(r.serviceAccount())
                .withNamespace(r.namespace())
                .withLabels(MANAGED)
                .endMetadata();
        if (r.gcpServiceAccount() != null) {
            sa.editMetadata()
                    .addToAnnotations(ClusterChecks.GCP_SERVICE_ACCOUNT_ANNOTATION, r.gcpServiceAccount())
                    .endMetadata();
        }
        out.add(sa.build());
        out.add(new RoleBuilder()
                .withNewMetadata()
                .withName(Permissions.ROLE)
                .withNamespace(r.namespace())
                .withLabels(MANAGED)
                .endMetadata()
                .withRules(rules())
                .build());
        return out;
    }

    static List<PolicyRule> rules() {
        List<PolicyRule> rules = new ArrayList<>();
        for (Permissions.Rule rule : Permissions.SUBMITTER) {
            rules.add(new PolicyRuleBuilder()
                    .withApiGroups(rule.group())
                    .withResources(rule.resources())
                    .withVerbs(rule.verbs())
                    .build());
        }
        return rules;
    }

    /** The commands that need someone with more rights, one line each. */
    static List<String> steps(ClusterSetup.Request r, String contextFlag) {
        List<String> steps = new ArrayList<>();
        if (r.gcpServiceAccount() != null) {
            String project = project(r.gcpServiceAccount());
            steps.add("gcloud iam service-accounts add-iam-policy-binding " + r.gcpServiceAccount()
                    + " --role roles/iam.workloadIdentityUser --member \"serviceAccount:" + project + ".svc.id.goog["
                    + r.namespace() + "/" + r.serviceAccount() + "]\"");
            if (r.storeUri() != null && r.storeUri().startsWith("gs://")) {
                steps.add("gcloud storage buckets add-iam-policy-binding gs://"
                        + URI.create(r.storeUri()).getHost() + " --member serviceAccount:" + r.gcpServiceAccount()
                        + " --role roles/storage.objectUser");
            }
        }
        steps.add("kubectl" + contextFlag + " create rolebinding " + Permissions.ROLE + " --role " + Permissions.ROLE
                + " --user USER -n " + r.namespace() + "   # by an administrator, for each user who submits jobs");
        return steps;
    }

    /**
     * Checks the request's names before anything is planned.
     *
     * @throws KineticException naming the bad value and the form it needs
     */
    static void check(ClusterSetup.Request r) {
        Pattern dnsLabel = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
        if (!dnsLabel.matcher(r.namespace()).matches()) {
            throw new KineticException("--namespace '" + r.namespace() + "' is not a namespace name: lowercase "
                    + "letters, digits and '-', at most 63 characters");
        }
        if (!dnsLabel.matcher(r.serviceAccount()).matches()) {
            throw new KineticException("--service-account '" + r.serviceAccount() + "' is not a service account "
                    + "name: lowercase letters, digits and '-', at most 63 characters");
        }
        if (r.gcpServiceAccount() != null) {
            project(r.gcpServiceAccount());
        }
    }

    private static String project(String gsa) {
        Matcher m = GSA.matcher(gsa);
        if (!m.matches()) {
            throw new KineticException("--gcp-service-account '" + gsa + "' is not a Google service account email "
                    + "(NAME@PROJECT.iam.gserviceaccount.com); list them with `gcloud iam service-accounts list`");
        }
        return m.group(1);
    }
}
