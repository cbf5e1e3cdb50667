package dev.kinetic.backend.kubernetes;

import dev.kinetic.KineticException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The Kubernetes backend's settings, each resolved by the core (option > {@code KINETIC_<NAME>} > profile) and
 * overridable per job through {@code JobOptions.backendSetting(name, value)}.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>name</th><th>environment</th><th>default</th></tr>
 * <tr><td>{@code namespace}</td><td>{@code KINETIC_NAMESPACE}</td><td>{@code default}</td></tr>
 * <tr><td>{@code context}</td><td>{@code KINETIC_CONTEXT}</td><td>the kubeconfig's current context</td></tr>
 * <tr><td>{@code image}</td><td>{@code KINETIC_IMAGE}</td><td>none: required to submit unless {@code registry} is
 *     set (see {@link ImageSettings}), in which case the backend builds or reuses one</td></tr>
 * <tr><td>{@code service-account}</td><td>{@code KINETIC_SERVICE_ACCOUNT}</td><td>the namespace's default</td></tr>
 * <tr><td>{@code shared-store-path}</td><td>{@code KINETIC_SHARED_STORE_PATH}</td><td>none</td></tr>
 * <tr><td>{@code ttl-after-finished}</td><td>{@code KINETIC_TTL_AFTER_FINISHED}</td><td>600 (seconds)</td></tr>
 * <tr><td>{@code cpu}, {@code memory}</td><td>{@code KINETIC_CPU}, {@code KINETIC_MEMORY}</td><td>CPU jobs: 1, 2Gi;
 *     accelerator jobs: none</td></tr>
 * <tr><td>{@code agent-classpath}</td><td>{@code KINETIC_AGENT_CLASSPATH}</td><td>{@value #DEFAULT_AGENT_CLASSPATH}</td></tr>
 * <tr><td>{@code image-pull-policy}</td><td>{@code KINETIC_IMAGE_PULL_POLICY}</td><td>Kubernetes' default</td></tr>
 * <tr><td>{@code active-deadline}</td><td>{@code KINETIC_ACTIVE_DEADLINE}</td><td>none (seconds)</td></tr>
 * <tr><td>{@code pod-env}</td><td>{@code KINETIC_POD_ENV}</td><td>none ({@code NAME=value,NAME2=value2})</td></tr>
 * <tr><td>{@code delete-timeout}</td><td>{@code KINETIC_DELETE_TIMEOUT}</td><td>120 (seconds)</td></tr>
 * <tr><td>{@code pending-timeout}</td><td>{@code KINETIC_PENDING_TIMEOUT}</td><td>1800 (seconds; 0 = never)</td></tr>
 * <tr><td>{@code termination-grace-period}</td><td>{@code KINETIC_TERMINATION_GRACE_PERIOD}</td><td>60
 *     (seconds)</td></tr>
 * </table>
 *
 * @param namespace where Jobs are created
 * @param context the kubeconfig context to use, or null for the current one (never changed by Kinetic)
 * @param image the runtime image (a JRE 17+ and Kinetic's agent jars), or null when not configured
 * @param serviceAccount the pods' service account, or null
 * @param sharedStorePath a directory that is the same path on this machine and on every node; a {@code file:}
 *     store under it is mounted into pods (hostPath) at that path. Null: {@code file:} stores are refused
 * @param ttlSecondsAfterFinished how long a finished Job stays before Kubernetes deletes it
 * @param cpu the CPU request of the pod, or null for the default (see {@link PodPlacement})
 * @param memory the memory request and limit of the pod, or null for the default
 * @param agentClasspath where the agent's jars are in the image
 * @param imagePullPolicy {@code Always}, {@code IfNotPresent}, {@code Never}, or null
 * @param activeDeadlineSeconds the Job's deadline, or null for none
 * @param podEnv extra environment variables for the container (e.g. how to reach the store)
 * @param deleteTimeoutSeconds how long cancel and cleanup wait for the Job and its pods to be gone
 * @param pendingTimeoutSeconds how long a job may stay PENDING for a reason waiting does not heal (an image that
 *     cannot be pulled, no node pool that matches, a pod the cluster refuses to create) before it ends as FAILED
 *     with that reason and its Job is deleted; 0 = never
 * @param terminationGracePeriodSeconds the pod's {@code terminationGracePeriodSeconds}: the time the agent has after
 *     a SIGTERM (spot reclaim, cancel) to stop the task, record the outcome and sync the outputs
 */
public record KubernetesSettings(
        String namespace,
        String context,
        String image,
        String serviceAccount,
        Path sharedStorePath,
        int ttlSecondsAfterFinished,
        String cpu,
        String memory,
        String agentClasspath,
        String imagePullPolicy,
        Long activeDeadlineSeconds,
        Map<String, String> podEnv,
        int deleteTimeoutSeconds,
        int pendingTimeoutSeconds,
        int terminationGracePeriodSeconds) {

    public static final String NAMESPACE = "namespace";
    public static final String CONTEXT = "context";
    public static final String IMAGE = "image";
    public static final String SERVICE_ACCOUNT = "service-account";
    public static final String SHARED_STORE_PATH = "shared-store-path";
    public static final String TTL_AFTER_FINISHED = "ttl-after-finished";
    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String AGENT_CLASSPATH = "agent-classpath";
    public static final String IMAGE_PULL_POLICY = "image-pull-policy";
    public static final String ACTIVE_DEADLINE = "active-deadline";
    public static final String POD_ENV = "pod-env";
    public static final String DELETE_TIMEOUT = "delete-timeout";
    public static final String PENDING_TIMEOUT = "pending-timeout";
    public static final String TERMINATION_GRACE_PERIOD = "termination-grace-period";
    /** Defaults: half an hour covers a node pool scaling up from zero; a minute covers the agent's SIGTERM path. */
    static final String DEFAULT_PENDING_TIMEOUT = "1800";

    static final String DEFAULT_TERMINATION_GRACE_PERIOD = "60";

    /** Where the agent's jars live in the runtime image. */
    public static final String DEFAULT_AGENT_CLASSPATH = "/opt/kinetic/lib/*";

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    public KubernetesSettings {
        podEnv = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(podEnv)); // keeps the order given
    }

    /**
     * Reads the settings from resolved values, with per-job overrides on top.
     *
     * @throws KineticException naming the bad value, where it came from and how to fix it
     */
    public static KubernetesSettings from(Map<String, String> resolved, Map<String, String> perJob) {
        Map<String, String> v = new LinkedHashMap<>(resolved);
        v.putAll(perJob);
        String namespace = v.getOrDefault(NAMESPACE, "default");
        if (!DNS_LABEL.matcher(namespace).matches()) {
            throw invalid(
                    NAMESPACE,
                    namespace,
                    "a namespace name is lowercase letters, digits and '-', at most 63 characters");
        }
        String cpu = blankToNull(v.get(CPU));
        String memory = blankToNull(v.get(MEMORY));
        checkQuantity(CPU, cpu, "e.g. 500m, 2");
        checkQuantity(MEMORY, memory, "e.g. 512Mi, 8Gi");
        String pullPolicy = blankToNull(v.get(IMAGE_PULL_POLICY));
        if (pullPolicy != null && !pullPolicy.matches("Always|IfNotPresent|Never")) {
            throw invalid(IMAGE_PULL_POLICY, pullPolicy, "use Always, IfNotPresent or Never");
        }
        String shared = blankToNull(v.get(SHARED_STORE_PATH));
        Path sharedPath = null;
        if (shared != null) {
            sharedPath = Path.of(shared);
            if (!sharedPath.isAbsolute()) {
                throw invalid(
                        SHARED_STORE_PATH,
                        shared,
                        "it must be an absolute directory path, the same on this machine and on the nodes");
            }
            sharedPath = sharedPath.normalize();
        }
        Long deadline =
                v.containsKey(ACTIVE_DEADLINE) ? (long) seconds(ACTIVE_DEADLINE, v.get(ACTIVE_DEADLINE), 1) : null;
        return new KubernetesSettings(
                namespace,
                blankToNull(v.get(CONTEXT)),
                blankToNull(v.get(IMAGE)),
                blankToNull(v.get(SERVICE_ACCOUNT)),
                sharedPath,
                seconds(TTL_AFTER_FINISHED, v.getOrDefault(TTL_AFTER_FINISHED, "600"), 0),
                cpu,
                memory,
                v.getOrDefault(AGENT_CLASSPATH, DEFAULT_AGENT_CLASSPATH),
                pullPolicy,
                deadline,
                parseEnv(v.get(POD_ENV)),
                seconds(DELETE_TIMEOUT, v.getOrDefault(DELETE_TIMEOUT, "120"), 1),
                seconds(PENDING_TIMEOUT, v.getOrDefault(PENDING_TIMEOUT, DEFAULT_PENDING_TIMEOUT), 0),
                seconds(
                        TERMINATION_GRACE_PERIOD,
                        v.getOrDefault(TERMINATION_GRACE_PERIOD, DEFAULT_TERMINATION_GRACE_PERIOD),
                        1));
    }

    /** These settings with another image (the one built for the registry, when none was set). */
    KubernetesSettings withImage(String image) {
        return new KubernetesSettings(
                namespace,
                context,
                image,
                serviceAccount,
                sharedStorePath,
                ttlSecondsAfterFinished,
                cpu,
                memory,
                agentClasspath,
                imagePullPolicy,
                activeDeadlineSeconds,
                podEnv,
                deleteTimeoutSeconds,
                pendingTimeoutSeconds,
                terminationGracePeriodSeconds);
    }

    private static int seconds(String name, String raw, int min) {
        try {
            int n = Integer.parseInt(raw.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(name, raw, "use a whole number of seconds >= " + min);
    }

    private static void checkQuantity(String name, String raw, String example) {
        if (raw != null && !QUANTITY.matcher(raw).matches()) {
            throw invalid(name, raw, "use a Kubernetes quantity, " + example);
        }
    }

    private static Map<String, String> parseEnv(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return out;
        }
        for (String pair : raw.split(",")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair.trim() : pair.substring(0, eq).trim();
            if (eq < 0 || !ENV_NAME.matcher(name).matches()) {
                throw invalid(
                        POD_ENV,
                        raw,
                        "use NAME=value pairs separated by commas, e.g. KINETIC_S3_ENDPOINT=http://minio:9000");
            }
            out.put(name, pair.substring(eq + 1));
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static KineticException invalid(String name, String value, String fix) {
        String env = "KINETIC_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        return new KineticException(
                "invalid Kubernetes setting " + name + "='" + value + "' (option " + name + " or " + env + "): " + fix);
    }
}
