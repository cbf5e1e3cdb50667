package dev.kinetic.backend.kubernetes.testnode;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the Job controller, GKE and cluster DNS do for an Indexed Job's pods, as far as a local process can have it.
 *
 * <ul>
 *   <li>The Job controller: one pod per index, each labelled and annotated with {@value #COMPLETION_INDEX}, with
 *       {@code JOB_COMPLETION_INDEX} in its container's environment and, when the template has a {@code subdomain},
 *       the host name {@code <job>-<index>}.
 *   <li>GKE's TPU webhook: for an Indexed Job with a subdomain, parallelism above 1 and {@code google.com/tpu}
 *       requests, {@code TPU_WORKER_ID} (the index) and {@code TPU_WORKER_HOSTNAMES} ({@code <job>-<i>.<subdomain>}
 *       in index order) in the container's environment.
 *   <li>DNS: every pod runs on 127.0.0.1 here, so the names {@code <job>-<i>.<subdomain>} cannot be told apart. The
 *       node maps each host name to 127.0.0.1 and a port of its own, and rewrites the container's arguments with it:
 *       {@code <job>-<i>.<subdomain>:<containerPort>} and a bare {@code <job>-<i>.<subdomain>} both become
 *       {@code 127.0.0.1:<port of host i>}. The agent therefore gives the task {@code KINETIC_HOSTS} as {@code
 *       host:port} entries and the coordinator as host 0's, while the Job spec keeps the real names.
 * </ul>
 */
final class IndexedPods {
    static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";

    private final String jobName;
    private final int completions;
    private final String subdomain;
    private final List<Integer> ports = new ArrayList<>();

    private IndexedPods(String jobName, int completions, String subdomain) {
        this.jobName = jobName;
        this.completions = completions;
        this.subdomain = subdomain;
        for (int i = 0; i < completions; i++) {
            ports.add(freePort());
        }
    }

    /** The Indexed Job's pods, or null for a Job of one pod. */
    static IndexedPods of(Job job) {
        if (!"Indexed".equals(job.getSpec().getCompletionMode())) {
            return null;
        }
        Integer completions = job.getSpec().getCompletions();
        return new IndexedPods(
                job.getMetadata().getName(),
                completions == null ? 1 : completions,
                job.getSpec().getTemplate().getSpec().getSubdomain());
    }

    int completions() {
        return completions;
    }

    /** The pod spec of index {@code index}: its host name, and what the controller and GKE put into its env. */
    PodSpec specFor(PodSpec template, int index) {
        PodSpec spec = new io.fabric8.kubernetes.api.model.PodSpecBuilder(template).build();
        if (subdomain != null) {
            spec.setHostname(jobName + "-" + index);
        }
        Container c = spec.getContainers().get(0);
        List<EnvVar> env = new ArrayList<>(c.getEnv() == null ? List.of() : c.getEnv());
        env.add(new EnvVar("JOB_COMPLETION_INDEX", String.valueOf(index), null));
        if (tpuWebhookApplies(spec)) {
            env.add(new EnvVar("TPU_WORKER_ID", String.valueOf(index), null));
            env.add(new EnvVar("TPU_WORKER_HOSTNAMES", String.join(",", dnsNames()), null));
        }
        c.setEnv(env);
        return spec;
    }

    /** The container's arguments with every host name mapped to 127.0.0.1 and that host's port. */
    List<String> rewrite(List<String> command, PodSpec spec) {
        if (subdomain == null) {
            return command;
        }
        List<String> names = dnsNames();
        List<String> out = new ArrayList<>();
        for (String arg : command) {
            String a = arg;
            for (int i = 0; i < completions; i++) {
                for (int port : containerPorts(spec)) {
                    a = a.replace(names.get(i) + ":" + port, address(i));
                }
                a = a.replaceAll(java.util.regex.Pattern.quote(names.get(i)) + "(?![:\\w.-])", address(i));
            }
            out.add(a);
        }
        return out;
    }

    /** Where host {@code index} is reachable here. */
    String address(int index) {
        return "127.0.0.1:" + ports.get(index);
    }

    /** The names cluster DNS would give the pods: {@code <job>-<i>.<subdomain>}. */
    List<String> dnsNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < completions; i++) {
            names.add(jobName + "-" + i + "." + subdomain);
        }
        return names;
    }

    static Map<String, String> indexMetadata(int index) {
        return Map.of(COMPLETION_INDEX, String.valueOf(index));
    }

    private boolean tpuWebhookApplies(PodSpec spec) {
        if (subdomain == null || completions < 2) {
            return false;
        }
        var resources = spec.getContainers().get(0).getResources();
        Map<String, Quantity> requests = resources == null ? null : resources.getRequests();
        return requests != null && requests.containsKey("google.com/tpu");
    }

    private static List<Integer> containerPorts(PodSpec spec) {
        List<Integer> ports = new ArrayList<>();
        for (ContainerPort p : spec.getContainers().get(0).getPorts() == null
                ? List.<ContainerPort>of()
                : spec.getContainers().get(0).getPorts()) {
            ports.add(p.getContainerPort());
        }
        return ports;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
