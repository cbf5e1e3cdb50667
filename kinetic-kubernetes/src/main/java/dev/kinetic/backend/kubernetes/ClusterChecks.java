package dev.kinetic.backend.kubernetes;

import dev.kinetic.KineticException;
import dev.kinetic.image.ImageException;
import dev.kinetic.image.RuntimeImage;
import dev.kinetic.spi.Preflight.Check;
import dev.kinetic.spi.accelerator.Accelerator;
import dev.kinetic.spi.accelerator.AcceleratorCatalog;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes backend's preflight ({@code kinetic doctor}): kubeconfig and exec credential plugin, the server and
 * the credentials, the namespace, RBAC for every verb the backend uses (asked with SelfSubjectAccessReviews), the
 * pods' service account and its Workload Identity, the image or registry, and nodes with the accelerator's labels.
 * Each check says what it found and the command that fixes it; nothing is changed.
 */
final class ClusterChecks {
    /** Workload Identity: the Google service account a Kubernetes service account acts as. */
    static final String GCP_SERVICE_ACCOUNT_ANNOTATION = "iam.gke.io/gcp-service-account";

    private final KubernetesSettings settings;
    private final ImageSettings images;
    private final Map<String, String> environment;
    private final AcceleratorCatalog catalog;

    ClusterChecks(
            KubernetesSettings settings,
            ImageSettings images,
            Map<String, String> environment,
            AcceleratorCatalog catalog) {
        this.settings = settings;
        this.images = images;
        this.environment = environment;
        this.catalog = catalog;
    }

    /**
     * @param connect opens the connection (called once the kubeconfig checked out)
     */
    List<Check> run(java.util.function.Supplier<KubeClientFactory.Connection> connect, String storeUri, String raw) {
        List<Check> out = new ArrayList<>();
        Check kubeconfig = kubeconfig();
        out.add(kubeconfig);
        if (kubeconfig.status() == dev.kinetic.spi.Preflight.Status.FAIL) {
            return out;
        }
        KubeClientFactory.Connection connection = connect.get();
        KubernetesClient client = connection.client();
        ClusterInfo cluster = connection.cluster();
        Check server = server(client, cluster);
        out.add(server);
        if (server.status() == dev.kinetic.spi.Preflight.Status.FAIL) {
            return out;
        }
        out.add(namespace(client, cluster));
        out.add(rbac(client, cluster));
        out.add(serviceAccount(client, cluster, storeUri));
        out.add(image());
        if (raw != null) {
            out.add(accelerator(client, raw));
        }
        return out;
    }

    private Check kubeconfig() {
        String context = settings.context();
        try {
            var config = KubeClientFactory.config(context, environment);
            String plugin = execPlugin(context);
            if (plugin != null && !onPath(plugin)) {
                return Check.fail(
                        "kubeconfig",
                        "the credentials come from the exec plugin " + plugin + ", which is not on the PATH",
                        plugin.contains("gke-gcloud-auth-plugin")
                                ? "gcloud components install gke-gcloud-auth-plugin"
                                : "install " + plugin + " and put it on the PATH");
            }
            return Check.pass(
                    "kubeconfig",
                    (context == null ? "current context" : "context " + context) + " -> " + config.getMasterUrl()
                            + (plugin == null ? "" : " (credentials from " + plugin + ")"));
        } catch (KineticException e) {
            return Check.fail(
                    "kubeconfig",
                    e.getMessage(),
                    "gcloud container clusters get-credentials CLUSTER --region REGION"
                            + (context == null ? "" : ", or set KINETIC_CONTEXT to a context of your kubeconfig"));
        }
    }

    private Check server(KubernetesClient client, ClusterInfo cluster) {
        try {
            var version = client.getKubernetesVersion();
            SelfSubjectAccessReview probe = review("list", "batch", "jobs", null, settings.namespace());
            client.authorization().v1().selfSubjectAccessReview().create(probe);
            return Check.pass(
                    "cluster",
                    cluster + " answers with these credentials (Kubernetes " + version.getGitVersion() + ")");
        } catch (KubernetesClientException e) {
            if (e.getCode() == 401) {
                return Check.fail(
                        "cluster",
                        cluster + " rejects the credentials (401 Unauthorized)",
                        "gcloud container clusters get-credentials CLUSTER --region REGION (or refresh your login)");
            }
            return Check.fail(
                    "cluster",
                    "cannot reach " + cluster + ": " + (e.getCode() == 0 ? rootMessage(e) : e.getMessage()),
                    "check the network (VPN, authorized networks of a private cluster) and `kubectl"
                            + cluster.contextFlag() + " version`");
        }
    }

    private Check namespace(KubernetesClient client, ClusterInfo cluster) {
        String ns = settings.namespace();
        String create = "kinetic setup kubernetes --namespace " + ns;
        try {
            Namespace namespace = client.namespaces().withName(ns).get();
            return namespace != null
                    ? Check.pass("namespace", "namespace " + ns + " exists")
                    : Check.fail("namespace", "namespace " + ns + " does not exist on " + cluster, create);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return Check.warn(
                        "namespace",
                        "cannot read namespace " + ns + " (403 Forbidden); it may exist",
                        "kubectl" + cluster.contextFlag() + " get namespace " + ns + " (or " + create + ")");
            }
            return Check.fail("namespace", "cannot read namespace " + ns + ": " + e.getMessage(), create);
        }
    }

    private Check rbac(KubernetesClient client, ClusterInfo cluster) {
        List<String> denied = new ArrayList<>();
        int asked = 0;
        for (Permissions.Rule rule : Permissions.SUBMITTER) {
            for (String verb : rule.verbs()) {
                for (String resource : rule.resources()) {
                    asked++;
                    String[] parts = resource.split("/", 2);
                    SelfSubjectAccessReview review = review(
                            verb, rule.group(), parts[0], parts.length > 1 ? parts[1] : null, settings.namespace());
                    try {
                        SelfSubjectAccessReview answer = client.authorization()
                                .v1()
                                .selfSubjectAccessReview()
                                .create(review);
                        boolean allowed = answer.getStatus() != null
                                && Boolean.TRUE.equals(answer.getStatus().getAllowed());
                        if (!allowed) {
                            denied.add(resource + " " + verb);
                        }
                    } catch (KubernetesClientException e) {
                        denied.add(resource + " " + verb + " (cannot ask: " + e.getCode() + ")");
                    }
                }
            }
        }
        if (denied.isEmpty()) {
            return Check.pass(
                    "rbac",
                    "all " + asked + " permissions the backend uses are granted in namespace " + settings.namespace());
        }
        return Check.fail(
                "rbac",
                "denied in namespace " + settings.namespace() + ": " + String.join(", ", denied),
                "kinetic setup kubernetes --namespace " + settings.namespace() + " (or have an administrator apply "
                        + "its Role and run: kubectl" + cluster.contextFlag() + " create rolebinding "
                        + Permissions.ROLE + " --role " + Permissions.ROLE + " --user YOU -n " + settings.namespace()
                        + ")");
    }

    private Check serviceAccount(KubernetesClient client, ClusterInfo cluster, String storeUri) {
        String name = settings.serviceAccount();
        boolean gcs = storeUri != null && storeUri.startsWith("gs://");
        String setup = "kinetic setup kubernetes --namespace " + settings.namespace() + " --service-account "
                + (name == null ? "kinetic" : name)
                + (gcs ? " --gcp-service-account GSA@PROJECT.iam.gserviceaccount.com" : "");
        if (name == null) {
            return gcs
                    ? Check.fail(
                            "service-account",
                            "pods use namespace " + settings.namespace() + "'s default service account, which has no "
                                    + "Google identity: the agent could not reach " + storeUri,
                            setup)
                    : Check.warn(
                            "service-account",
                            "pods use namespace " + settings.namespace() + "'s default service account",
                            setup);
        }
        try {
            ServiceAccount sa = client.serviceAccounts()
                    .inNamespace(settings.namespace())
                    .withName(name)
                    .get();
            if (sa == null) {
                return Check.fail(
                        "service-account",
                        "service account " + name + " does not exist in namespace " + settings.namespace()
                                + " (pods would not be created: FailedCreate)",
                        setup);
            }
            String gsa = sa.getMetadata().getAnnotations() == null
                    ? null
                    : sa.getMetadata().getAnnotations().get(GCP_SERVICE_ACCOUNT_ANNOTATION);
            if (gcs && gsa == null) {
                return Check.fail(
                        "service-account",
                        "service account " + name + " has no " + GCP_SERVICE_ACCOUNT_ANNOTATION + " annotation, so "
                                + "with Workload Identity the agent cannot reach " + storeUri,
                        setup);
            }
            return Check.pass(
                    "service-account",
                    "service account " + name + " exists" + (gsa == null ? "" : ", acting as " + gsa));
        } catch (KubernetesClientException e) {
            return Check.warn(
                    "service-account",
                    "cannot read service account " + name + " (" + e.getCode() + "): " + e.getMessage(),
                    "kubectl" + cluster.contextFlag() + " get serviceaccount " + name + " -n " + settings.namespace());
        }
    }

    private Check image() {
        try {
            if (settings.image() != null) {
                return RuntimeImage.exists(settings.image(), images.insecure(), environment)
                        ? Check.pass("registry", "image " + settings.image() + " is in its registry")
                        : Check.fail(
                                "registry",
                                "image " + settings.image() + " is not in its registry (pods would stay in "
                                        + "ImagePullBackOff)",
                                "push it, or unset KINETIC_IMAGE and set KINETIC_REGISTRY=REGISTRY/REPOSITORY to have "
                                        + "Kinetic build it");
            }
            if (images.registry() != null) {
                RuntimeImage.checkPushAccess(images.registry(), images.insecure(), environment);
                return Check.pass("registry", images.registry() + " answers and takes pushes with these credentials");
            }
            return Check.fail(
                    "registry",
                    "no image and no registry to build one in",
                    "set KINETIC_IMAGE to a runtime image, or KINETIC_REGISTRY=REGISTRY/REPOSITORY");
        } catch (ImageException e) {
            return Check.fail(
                    "registry",
                    e.getMessage(),
                    "gcloud auth configure-docker REGION-docker.pkg.dev (or docker login REGISTRY)");
        }
    }

    private Check accelerator(KubernetesClient client, String raw) {
        Accelerator a;
        try {
            a = catalog.parse(raw);
        } catch (KineticException e) {
            return Check.fail("accelerator", e.getMessage(), "kinetic accelerators");
        }
        if (a.kind().equals("cpu")) {
            return Check.pass("accelerator", "cpu jobs run on any node");
        }
        Map<String, String> wanted = NodeLabels.selector(a);
        try {
            int matching = 0;
            for (Node n : client.nodes().list().getItems()) {
                Map<String, String> labels = n.getMetadata().getLabels();
                if (labels != null && labels.entrySet().containsAll(wanted.entrySet())) {
                    matching++;
                }
            }
            if (matching > 0) {
                return Check.pass("accelerator", matching + " node(s) carry " + wanted);
            }
            return Check.warn(
                    "accelerator",
                    "no node carries " + wanted + " (a node pool scaled to zero has no nodes to show; jobs for "
                            + a.idPart() + " wait for the autoscaler, or stay PENDING if there is no such pool)",
                    NodeLabels.createPoolCommand(a));
        } catch (KubernetesClientException e) {
            return Check.warn(
                    "accelerator",
                    "cannot list nodes (" + e.getCode() + "); nodes are cluster-wide and often hidden from users",
                    "kubectl get nodes -l " + NodeLabels.selectorText(wanted));
        }
    }

    private static SelfSubjectAccessReview review(
            String verb, String group, String resource, String subresource, String namespace) {
        return new SelfSubjectAccessReviewBuilder()
                .withNewSpec()
                .withNewResourceAttributes()
                .withNamespace(namespace)
                .withVerb(verb)
                .withGroup(group)
                .withResource(resource)
                .withSubresource(subresource)
                .endResourceAttributes()
                .endSpec()
                .build();
    }

    private String execPlugin(String context) {
        for (Path file : KubeClientFactory.kubeconfigFiles(environment)) {
            if (!Files.isRegularFile(file)) {
                continue;
            }
            try {
                var parsed = io.fabric8.kubernetes.client.internal.KubeConfigUtils.parseConfig(file.toFile());
                String ctx = context != null ? context : parsed.getCurrentContext();
                Map<String, String> userOf = new LinkedHashMap<>();
                if (parsed.getContexts() != null) {
                    parsed.getContexts()
                            .forEach(c -> userOf.put(c.getName(), c.getContext().getUser()));
                }
                String user = userOf.get(ctx);
                if (user == null || parsed.getUsers() == null) {
                    continue;
                }
                for (var u : parsed.getUsers()) {
                    if (u.getName().equals(user)
                            && u.getUser() != null
                            && u.getUser().getExec() != null) {
                        return u.getUser().getExec().getCommand();
                    }
                }
            } catch (RuntimeException e) {
                // the kubeconfig check already said what is wrong with the file
            }
        }
        return null;
    }

    private boolean onPath(String command) {
        if (command.contains(File.separator)) {
            return Files.isExecutable(Path.of(command));
        }
        String path = environment.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
