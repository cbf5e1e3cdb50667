package dev.kinetic.backend.kubernetes.testnode;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a pod's container into a {@code podman run} of the real image. Only what the spec says is run: its
 * command as the entrypoint, its args, its env, its memory and CPU limits. Every field of the pod spec and the
 * container is checked against the few this node honours, so a spec that grows (a volume, a {@code valueFrom},
 * a security context) fails the test instead of silently running differently from a cluster.
 *
 * <p>Two things come from the node, not the spec, as on a real node: the network (the host's, standing in for
 * the pod network, so the container reaches the S3 server on 127.0.0.1) and the ulimits this VM requires.
 */
final class PodmanTranslation {
    /** What to pull and how to run it. */
    record Launch(String image, boolean pull, boolean pullAlways, String containerName, List<String> runArgs) {}

    private static final Set<String> POD_FIELDS =
            Set.of("containers", "restartPolicy", "nodeName", "terminationGracePeriodSeconds");
    /**
     * The termination message fields change nothing in how the container runs (the agent writes a file inside it);
     * this node does not read the message back, the local-process node does.
     */
    private static final Set<String> CONTAINER_FIELDS = Set.of(
            "name",
            "image",
            "imagePullPolicy",
            "command",
            "args",
            "env",
            "resources",
            "terminationMessagePath",
            "terminationMessagePolicy");
    /** Requests only matter to the scheduler; limits become podman's. */
    private static final Set<String> RESOURCE_NAMES = Set.of("memory", "cpu");

    private PodmanTranslation() {}

    static Launch translate(PodSpec spec, String podName) throws ContainerTranslation.Untranslatable {
        onlyFields("the pod spec", Serialization.unmarshal(Serialization.asJson(spec), Map.class), POD_FIELDS);
        if (spec.getContainers().size() != 1) {
            throw untranslatable("expected exactly one container, got "
                    + spec.getContainers().size());
        }
        if (!"Never".equals(spec.getRestartPolicy())) {
            throw untranslatable("restartPolicy must be Never, got " + spec.getRestartPolicy());
        }
        Container c = spec.getContainers().get(0);
        onlyFields(
                "container " + c.getName(),
                Serialization.unmarshal(Serialization.asJson(c), Map.class),
                CONTAINER_FIELDS);
        String policy = c.getImagePullPolicy();
        if (policy != null && !Set.of("Always", "IfNotPresent", "Never").contains(policy)) {
            throw untranslatable("unknown imagePullPolicy " + policy);
        }

        String name = containerName(podName);
        List<String> run = new ArrayList<>(List.of(
                "run",
                "--rm",
                "--name",
                name,
                "--hostname",
                hostname(podName),
                "--network",
                "host",
                "--pull",
                "never"));
        run.addAll(Podman.RUN_OPTIONS);
        limits(c, run);
        for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
            if (e.getValueFrom() != null) {
                throw untranslatable("env " + e.getName() + " uses valueFrom, which this node cannot resolve");
            }
            run.add("--env");
            run.add(e.getName() + "=" + (e.getValue() == null ? "" : e.getValue()));
        }
        if (c.getCommand() != null && !c.getCommand().isEmpty()) {
            // Kubernetes' command replaces the image's entrypoint; the JSON form keeps each argument whole.
            run.add("--entrypoint");
            run.add(Serialization.asJson(c.getCommand()));
        }
        String image = pullable(c.getImage());
        run.add(image);
        run.addAll(c.getArgs() == null ? List.of() : c.getArgs());
        return new Launch(image, !"Never".equals(policy), "Always".equals(policy), name, run);
    }

    private static void limits(Container c, List<String> run) throws ContainerTranslation.Untranslatable {
        if (c.getResources() == null) {
            return;
        }
        onlyFields(
                "resources",
                Serialization.unmarshal(Serialization.asJson(c.getResources()), Map.class),
                Set.of("limits", "requests"));
        for (Map<String, Quantity> m : List.of(
                orEmpty(c.getResources().getRequests()),
                orEmpty(c.getResources().getLimits()))) {
            onlyFields("resources", m, RESOURCE_NAMES);
        }
        Map<String, Quantity> limits = orEmpty(c.getResources().getLimits());
        if (limits.containsKey("memory")) {
            run.add("--memory");
            run.add(Quantity.getAmountInBytes(limits.get("memory"))
                    .toBigInteger()
                    .toString());
        }
        if (limits.containsKey("cpu")) {
            run.add("--cpus");
            run.add(Quantity.getAmountInBytes(limits.get("cpu")).toPlainString());
        }
    }

    /** The podman container of a pod: named after it, so the node can stop it by name when the Job goes. */
    static String containerName(String podName) {
        return "kinetic-" + podName;
    }

    /** A pod's hostname is its name cut to 63 characters, as a kubelet does (the kernel refuses longer ones). */
    static String hostname(String podName) {
        String h = podName.length() <= 63 ? podName : podName.substring(0, 63);
        return h.replaceAll("[-.]+$", "");
    }

    /**
     * A kubelet pulls {@code repo:tag@sha256:...} by its digest, ignoring the tag; podman's image library refuses
     * a reference with both, so the tag is dropped (the digest alone names the same image).
     */
    static String pullable(String image) throws ContainerTranslation.Untranslatable {
        if (image == null || image.isBlank()) {
            throw untranslatable("the container has no image");
        }
        int at = image.indexOf('@');
        if (at < 0) {
            return image;
        }
        String name = image.substring(0, at);
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        return (colon > slash ? name.substring(0, colon) : name) + image.substring(at);
    }

    private static void onlyFields(String what, Map<?, ?> fields, Set<String> allowed)
            throws ContainerTranslation.Untranslatable {
        Set<String> unknown = new TreeSet<>();
        fields.forEach((k, v) -> {
            boolean empty = v == null
                    || v instanceof Collection<?> col && col.isEmpty()
                    || v instanceof Map<?, ?> m && m.isEmpty();
            if (!empty && !allowed.contains(String.valueOf(k))) {
                unknown.add(k + "=" + v);
            }
        });
        if (!unknown.isEmpty()) {
            throw untranslatable(what + " has fields this node cannot run faithfully: " + unknown + " (it honours only "
                    + new TreeSet<>(allowed) + ")");
        }
    }

    private static <V> Map<String, V> orEmpty(Map<String, V> m) {
        return m == null ? Map.of() : m;
    }

    private static ContainerTranslation.Untranslatable untranslatable(String message) {
        return new ContainerTranslation.Untranslatable(message);
    }
}
