package dev.kinetic.spi.accelerator;

/**
 * A parsed accelerator request.
 *
 * @param kind {@code cpu}, {@code gpu} or {@code tpu}
 * @param name the catalog name ({@code cpu}, {@code l4}, {@code v5e})
 * @param count GPUs per pod or TPU chips (0 for cpu)
 * @param gkeAccelerator the GKE node label value ({@code nvidia-l4}, {@code tpu-v5-lite-podslice}), or null for cpu
 * @param topology the TPU slice topology, or null
 * @param hosts TPU hosts in the slice (1 for single-host), 1 for GPU and CPU
 * @param spot whether spot capacity was asked for ({@code :spot})
 */
public record Accelerator(
        String kind, String name, int count, String gkeAccelerator, String topology, int hosts, boolean spot) {

    /** The short form used in job ids: {@code cpu}, {@code l4}, {@code a100x4}, {@code v5e4}. */
    public String idPart() {
        return switch (kind) {
            case "cpu" -> "cpu";
            case "gpu" -> (count == 1 ? name : name + "x" + count).replace("-", "");
            default -> name + count;
        };
    }
}
