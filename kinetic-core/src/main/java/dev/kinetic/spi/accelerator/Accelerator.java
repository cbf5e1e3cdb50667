package dev.kinetic.spi.accelerator;

/**
 * A parsed accelerator request.
 *
 * @param kind {@code cpu}, {@code gpu} or {@code tpu}
 * @param name the catalog name ({@code cpu}, {@code l4}, {@code v5e})
 * @param count GPUs per pod, TPU chips in the slice, or for cpu the vCPUs asked for with {@code cpu:N} (0: the
 *     backend's default)
 * @param gkeAccelerator the GKE node label value ({@code nvidia-l4}, {@code tpu-v5-lite-podslice}), or null for cpu
 * @param topology the TPU slice topology, or null
 * @param hosts TPU hosts in the slice (1 for single-host), 1 for GPU and CPU
 * @param spot whether spot capacity was asked for ({@code :spot})
 * @param machine the machine one pod of this request runs on (one host of a TPU slice), or null for cpu
 */
public record Accelerator(
        String kind,
        String name,
        int count,
        String gkeAccelerator,
        String topology,
        int hosts,
        boolean spot,
        Machine machine) {

    /** An accelerator without a machine shape (cpu, or a test's own). */
    public Accelerator(
            String kind, String name, int count, String gkeAccelerator, String topology, int hosts, boolean spot) {
        this(kind, name, count, gkeAccelerator, topology, hosts, spot, null);
    }

    /**
     * The machine type a node pool for this accelerator uses, as GKE documents it.
     *
     * @param type the Compute Engine machine type, e.g. {@code g2-standard-4}, {@code ct5lp-hightpu-4t}
     * @param vcpus its vCPUs
     * @param memoryGb its memory in GB
     */
    public record Machine(String type, int vcpus, int memoryGb) {}

    /** The short form used in job ids: {@code cpu}, {@code l4}, {@code a100x4}, {@code v5e4}. */
    public String idPart() {
        return switch (kind) {
            case "cpu" -> "cpu";
            case "gpu" -> (count == 1 ? name : name + "x" + count).replace("-", "");
            default -> name + count;
        };
    }

    /** Accelerator devices per pod: GPUs, or the TPU chips on one host of the slice; 0 for cpu. */
    public int devicesPerPod() {
        return switch (kind) {
            case "gpu" -> count;
            case "tpu" -> count / Math.max(1, hosts);
            default -> 0;
        };
    }

    /** This request with spot capacity. */
    public Accelerator withSpot() {
        return new Accelerator(kind, name, count, gkeAccelerator, topology, hosts, true, machine);
    }
}
