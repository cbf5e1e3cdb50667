package dev.kinetic.backend.kubernetes;

import dev.kinetic.KineticException;
import dev.kinetic.spi.accelerator.Accelerator;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;

/**
 * The CPU and memory a pod requests. An accelerator pod asks for most of its node, sized from the catalog's
 * machine shape for that accelerator and count: what GKE leaves allocatable on that machine (its documented
 * reservations for the kubelet and the eviction threshold) less room for the system pods every node runs. It is
 * then Burstable, not BestEffort (the first evicted), and never asks for more than the node offers, so it can
 * schedule. {@code cpu} and {@code memory} override either, within the same bound. CPU jobs ask for {@code cpu:N}'s
 * N vCPUs and 2 GiB per vCPU, or 1 vCPU and 2 GiB.
 */
final class PodResources {
    /** Requests when the user set none on a plain {@code cpu} job: enough for the agent and a small task JVM. */
    static final String DEFAULT_CPU = "1";

    static final String DEFAULT_MEMORY = "2Gi";
    /** System pods on a GKE accelerator node (kube-proxy, logging, metadata server, device plugin): about this. */
    static final long SYSTEM_PODS_MILLICORES = 500;

    static final long SYSTEM_PODS_MEBIBYTES = 1024;
    private static final long EVICTION_THRESHOLD_MEBIBYTES = 100;

    private PodResources() {}

    /**
     * @param cpu requests of the pod ({@code cpu} setting), or null
     * @param memory request and limit ({@code memory} setting), or null
     */
    record Requests(Quantity cpu, Quantity memory) {}

    static Requests of(Accelerator accelerator, String cpu, String memory) {
        Accelerator.Machine machine = accelerator.machine();
        if (machine == null) {
            int n = accelerator.count();
            return new Requests(
                    new Quantity(cpu != null ? cpu : n > 0 ? String.valueOf(n) : DEFAULT_CPU),
                    new Quantity(memory != null ? memory : n > 0 ? (2 * n) + "Gi" : DEFAULT_MEMORY));
        }
        long millicores = allocatableMillicores(machine.vcpus()) - SYSTEM_PODS_MILLICORES;
        long mebibytes = allocatableMebibytes(machine.memoryGb()) - SYSTEM_PODS_MEBIBYTES;
        Quantity cpuRequest = cpu != null
                ? within(accelerator, "cpu", cpu, BigDecimal.valueOf(millicores, 3), millicores + "m")
                : new Quantity((millicores / 100 * 100) + "m");
        Quantity memoryRequest = memory != null
                ? within(
                        accelerator,
                        "memory",
                        memory,
                        BigDecimal.valueOf(mebibytes).multiply(BigDecimal.valueOf(1024 * 1024)),
                        mebibytes + "Mi")
                : new Quantity((mebibytes / 128 * 128) + "Mi");
        return new Requests(cpuRequest, memoryRequest);
    }

    /** GKE's CPU reservation: 6% of the first core, 1% of the next, 0.5% of the next two, 0.25% of the rest. */
    static long allocatableMillicores(int vcpus) {
        double reserved = 60 * Math.min(vcpus, 1)
                + 10 * clamp(vcpus - 1, 1)
                + 5 * clamp(vcpus - 2, 2)
                + 2.5 * Math.max(0, vcpus - 4);
        return (long) Math.floor(vcpus * 1000L - reserved);
    }

    /**
     * GKE's memory reservation: 25% of the first 4 GiB, 20% of the next 4, 10% of the next 8, 6% of the next 112 and
     * 2% of the rest, plus the 100 MiB eviction threshold.
     */
    static long allocatableMebibytes(int gib) {
        double mib = gib * 1024.0;
        double reserved = 0.25 * Math.min(mib, 4096)
                + 0.20 * clamp(mib - 4096, 4096)
                + 0.10 * clamp(mib - 8192, 8192)
                + 0.06 * clamp(mib - 16384, 114688)
                + 0.02 * Math.max(0, mib - 131072);
        return (long) Math.floor(mib - reserved) - EVICTION_THRESHOLD_MEBIBYTES;
    }

    private static Quantity within(
            Accelerator accelerator, String name, String asked, BigDecimal available, String availableText) {
        Quantity q = new Quantity(asked);
        if (q.getNumericalAmount().compareTo(available) > 0) {
            throw new KineticException("invalid Kubernetes setting " + name + "='" + asked + "' (option " + name
                    + " or KINETIC_" + name.toUpperCase(java.util.Locale.ROOT) + "): a pod for accelerator "
                    + accelerator.idPart() + " runs on a "
                    + accelerator.machine().type() + " node, which can give a "
                    + "pod at most " + availableText + " after GKE's reservations and its system pods; ask for at most "
                    + "that, or leave " + name + " unset to get it");
        }
        return q;
    }

    private static double clamp(double v, double max) {
        return Math.max(0, Math.min(v, max));
    }
}
