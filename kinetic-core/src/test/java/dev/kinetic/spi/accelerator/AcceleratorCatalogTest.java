package dev.kinetic.spi.accelerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.KineticException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcceleratorCatalogTest {
    private final AcceleratorCatalog catalog = AcceleratorCatalog.builtIn();

    @Test
    void parsesTheSeedsSpellings() {
        assertThat(catalog.parse("cpu")).isEqualTo(new Accelerator("cpu", "cpu", 0, null, null, 1, false));
        assertThat(catalog.parse("l4"))
                .extracting(Accelerator::kind, Accelerator::count, Accelerator::gkeAccelerator)
                .containsExactly("gpu", 1, "nvidia-l4");
        assertThat(catalog.parse("a100x4").count()).isEqualTo(4);
        assertThat(catalog.parse("a100-80gb").gkeAccelerator()).isEqualTo("nvidia-a100-80gb");
        Accelerator v5e = catalog.parse("tpu-v5e-1");
        assertThat(v5e)
                .extracting(Accelerator::kind, Accelerator::name, Accelerator::count, Accelerator::topology)
                .containsExactly("tpu", "v5e", 1, "1x1");
        assertThat(v5e.idPart()).isEqualTo("v5e1");
        assertThat(catalog.parse("v5litepod-4").topology()).isEqualTo("2x2");
        assertThat(catalog.parse("l4:spot").spot()).isTrue();
        assertThat(catalog.parse("v6e-8").gkeAccelerator()).isEqualTo("tpu-v6e-slice");
    }

    /**
     * The reference's grammar and table (../shared/research/reference-kinetic.md §1m), one row per line: the string
     * a Kinetic user writes, and what it must mean. Where GKE's documentation differs from the reference, GKE wins;
     * those rows are in {@link #whereGkeDiffersFromTheReference}.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            nullValues = "-",
            value = {
                // input,            kind, name, count, GKE label,              topology, hosts, machine
                // the short forms the issue found refused
                "gpu,                gpu, l4,   1, nvidia-l4,              -,     1, g2-standard-4",
                "tpu,                tpu, v5e,  4, tpu-v5-lite-podslice,   2x2,   1, ct5lp-hightpu-4t",
                "gpu:4,              gpu, h100, 4, nvidia-h100-80gb,       -,     1, a3-highgpu-4g",
                "tpu:8,              tpu, v6e,  8, tpu-v6e-slice,          2x4,   1, ct6e-standard-8t",
                "cpu:4,              cpu, cpu,  4, -,                      -,     1, -",
                "nvidia-l4,          gpu, l4,   1, nvidia-l4,              -,     1, g2-standard-4",
                // gpu:N: the most capable type that supports N (h100 > a100-80gb > a100 > l4 > v100 > t4 > p100 > p4)
                "gpu:1,              gpu, h100, 1, nvidia-h100-80gb,       -,     1, a3-highgpu-1g",
                "gpu:8,              gpu, h100, 8, nvidia-h100-80gb,       -,     1, a3-highgpu-8g",
                "gpu:16,             gpu, a100, 16, nvidia-tesla-a100,     -,     1, a2-megagpu-16g",
                // GPUs: label and counts per pod; l4 on g2-standard-{4,24,48,96}
                "l4x2,               gpu, l4,   2, nvidia-l4,              -,     1, g2-standard-24",
                "l4x4,               gpu, l4,   4, nvidia-l4,              -,     1, g2-standard-48",
                "l4x8,               gpu, l4,   8, nvidia-l4,              -,     1, g2-standard-96",
                "t4x4,               gpu, t4,   4, nvidia-tesla-t4,        -,     1, n1-standard-16",
                "v100x8,             gpu, v100, 8, nvidia-tesla-v100,      -,     1, n1-standard-64",
                "a100x4,             gpu, a100, 4, nvidia-tesla-a100,      -,     1, a2-highgpu-4g",
                "a100x16,            gpu, a100, 16, nvidia-tesla-a100,     -,     1, a2-megagpu-16g",
                "a100-80gbx8,        gpu, a100-80gb, 8, nvidia-a100-80gb,  -,     1, a2-ultragpu-8g",
                "h100x8,             gpu, h100, 8, nvidia-h100-80gb,       -,     1, a3-highgpu-8g",
                "p4,                 gpu, p4,   1, nvidia-tesla-p4,        -,     1, n1-standard-4",
                "p4x4,               gpu, p4,   4, nvidia-tesla-p4,        -,     1, n1-standard-16",
                "p100x2,             gpu, p100, 2, nvidia-tesla-p100,      -,     1, n1-standard-8",
                // GKE labels as aliases, with counts
                "nvidia-tesla-a100,  gpu, a100, 1, nvidia-tesla-a100,      -,     1, a2-highgpu-1g",
                "nvidia-tesla-t4x2,  gpu, t4,   2, nvidia-tesla-t4,        -,     1, n1-standard-8",
                // prefixes are optional
                "gpu-l4,             gpu, l4,   1, nvidia-l4,              -,     1, g2-standard-4",
                "gpu:a100x2,         gpu, a100, 2, nvidia-tesla-a100,      -,     1, a2-highgpu-2g",
                "tpu:v5litepod-8,    tpu, v5e,  8, tpu-v5-lite-podslice,   2x4,   1, ct5lp-hightpu-8t",
                // TPUs: chips, topology, hosts; v5e = v5litepod
                "v5litepod-1,        tpu, v5e,  1, tpu-v5-lite-podslice,   1x1,   1, ct5lp-hightpu-1t",
                "v5litepod-8,        tpu, v5e,  8, tpu-v5-lite-podslice,   2x4,   1, ct5lp-hightpu-8t",
                "v5litepod-2x4,      tpu, v5e,  8, tpu-v5-lite-podslice,   2x4,   1, ct5lp-hightpu-8t",
                "v5e-16,             tpu, v5e,  16, tpu-v5-lite-podslice,  4x4,   4, ct5lp-hightpu-4t",
                "v5litepod-256,      tpu, v5e,  256, tpu-v5-lite-podslice, 16x16, 64, ct5lp-hightpu-4t",
                "tpu-v5-lite-podslice, tpu, v5e, 4, tpu-v5-lite-podslice,  2x2,   1, ct5lp-hightpu-4t",
                "v4-4,               tpu, v4,   4, tpu-v4-podslice,        2x2x1, 1, ct4p-hightpu-4t",
                "v4-8,               tpu, v4,   8, tpu-v4-podslice,        2x2x2, 2, ct4p-hightpu-4t",
                "v5p-8,              tpu, v5p,  8, tpu-v5p-slice,          2x2x2, 2, ct5p-hightpu-4t",
                "v5p-16,             tpu, v5p,  16, tpu-v5p-slice,         2x2x4, 4, ct5p-hightpu-4t",
                "v5p-32,             tpu, v5p,  32, tpu-v5p-slice,         2x4x4, 8, ct5p-hightpu-4t",
                "v6e-16,             tpu, v6e,  16, tpu-v6e-slice,         4x4,   4, ct6e-standard-4t",
                "v3-16,              tpu, v3,   16, tpu-v3-slice,          4x4,   4, ct3p-hightpu-4t",
                // default chip counts: v3 4, v4 4, v5litepod 4, v5p 8, v6e 8
                "v3,                 tpu, v3,   4, tpu-v3-device,          2x2,   1, ct3-hightpu-4t",
                "v4,                 tpu, v4,   4, tpu-v4-podslice,        2x2x1, 1, ct4p-hightpu-4t",
                "v5litepod,          tpu, v5e,  4, tpu-v5-lite-podslice,   2x2,   1, ct5lp-hightpu-4t",
                "v5p,                tpu, v5p,  8, tpu-v5p-slice,          2x2x2, 2, ct5p-hightpu-4t",
                "v6e,                tpu, v6e,  8, tpu-v6e-slice,          2x4,   1, ct6e-standard-8t",
                // case-insensitive
                "A100X4,             gpu, a100, 4, nvidia-tesla-a100,      -,     1, a2-highgpu-4g",
                "TPU-V5E-1,          tpu, v5e,  1, tpu-v5-lite-podslice,   1x1,   1, ct5lp-hightpu-1t",
                "Nvidia-L4,          gpu, l4,   1, nvidia-l4,              -,     1, g2-standard-4"
            })
    void theReferenceTableRowByRow(
            String input,
            String kind,
            String name,
            int count,
            String label,
            String topology,
            int hosts,
            String machine) {
        for (String spelling : new String[] {input, input + ":spot", input.toUpperCase() + ":SPOT"}) {
            Accelerator a = catalog.parse(spelling);
            assertThat(a)
                    .as(spelling)
                    .extracting(
                            Accelerator::kind,
                            Accelerator::name,
                            Accelerator::count,
                            Accelerator::gkeAccelerator,
                            Accelerator::topology,
                            Accelerator::hosts,
                            Accelerator::spot)
                    .containsExactly(
                            kind,
                            name,
                            count,
                            label,
                            topology,
                            hosts,
                            spelling.toLowerCase().endsWith(":spot"));
            assertThat(a.machine() == null ? null : a.machine().type())
                    .as(spelling)
                    .isEqualTo(machine);
        }
    }

    /**
     * Where GKE's documentation (Plan TPUs in GKE, the GPU machine types) and the reference disagree, the catalog
     * follows GKE. Each assertion names the difference.
     */
    @Test
    void whereGkeDiffersFromTheReference() {
        // The reference labels v3 tpu-v3-podslice; GKE has tpu-v3-device (ct3-hightpu-4t, 2x2, one host) and
        // tpu-v3-slice (ct3p-hightpu-4t, 4x4 and up, 4 chips per host). There is no 8-chip v3 host in GKE ("v3-8"
        // in the TPU API counts TensorCores: it is these 4 chips), so the catalog's old 2x4 single-host row is gone.
        assertThat(catalog.parse("v3-4").gkeAccelerator()).isEqualTo("tpu-v3-device");
        assertThat(catalog.parse("v3-16").gkeAccelerator()).isEqualTo("tpu-v3-slice");
        assertThatThrownBy(() -> catalog.parse("tpu-v3-8")).hasMessageContaining("4 (2x2)");
        // The reference allows 16 A100 80GB GPUs per pod; GKE's largest A100 80GB machine, a2-ultragpu-8g, has 8.
        assertThatThrownBy(() -> catalog.parse("a100-80gbx16")).hasMessageContaining("counts of [1,2,4,8]");
        // The reference's v6e table starts at 8 chips on 2 hosts; GKE also offers 1x1, 2x2 and a one-host 2x4
        // (ct6e-standard-8t), so tpu:4 is v6e-4 (the most capable type with 4 chips), not v5litepod-4.
        assertThat(catalog.parse("tpu:4"))
                .extracting(Accelerator::name, Accelerator::hosts)
                .containsExactly("v6e", 1);
        assertThat(catalog.parse("v6e-8").hosts()).isEqualTo(1);
        // v5p 2x2x1 (4 chips) is a documented single-host slice, missing from the reference's table.
        assertThat(catalog.parse("v5p-4").hosts()).isEqualTo(1);
    }

    @Test
    void machineShapesAreGkesAndTheirSizesArePerHost() {
        assertThat(catalog.parse("l4").machine()).isEqualTo(new Accelerator.Machine("g2-standard-4", 4, 16));
        assertThat(catalog.parse("v5e-4").machine()).isEqualTo(new Accelerator.Machine("ct5lp-hightpu-4t", 112, 192));
        Accelerator slice = catalog.parse("v5e-16");
        assertThat(slice.devicesPerPod()).as("4 chips on each of 4 hosts").isEqualTo(4);
        assertThat(catalog.parse("a100x4").devicesPerPod()).isEqualTo(4);
        assertThat(catalog.parse("cpu:8").devicesPerPod()).isZero();
    }

    @Test
    void theListingShowsAliasesAndMachines() {
        AcceleratorCatalog.Entry l4 = catalog.entries().stream()
                .filter(e -> e.name().equals("l4"))
                .findFirst()
                .orElseThrow();
        assertThat(l4.aliases()).containsExactly("nvidia-l4");
        assertThat(l4.machines()).containsEntry("2", "g2-standard-24 (24 vCPU, 96 GB)");
        AcceleratorCatalog.Entry v5e = catalog.entries().stream()
                .filter(e -> e.name().equals("v5e"))
                .findFirst()
                .orElseThrow();
        assertThat(v5e.aliases()).contains("v5litepod", "tpu-v5-lite-podslice");
        assertThat(v5e.topologies()).containsEntry("16", "4x4 (4 hosts)");
        assertThat(catalog.entries()).extracting(AcceleratorCatalog.Entry::name).contains("p4", "p100");
    }

    @Test
    void unknownNamesListTheValidOnes() {
        assertThatThrownBy(() -> catalog.parse("b200"))
                .isInstanceOf(KineticException.class)
                .hasMessageContaining("'b200'")
                .hasMessageContaining("l4")
                .hasMessageContaining("gpu[:N]")
                .hasMessageContaining("tpu-v5e-N");
        assertThatThrownBy(() -> catalog.parse("l4x3")).hasMessageContaining("counts of [1,2,4,8]");
        assertThatThrownBy(() -> catalog.parse("tpu-v5e-3")).hasMessageContaining("chips");
        assertThatThrownBy(() -> catalog.parse("v5litepod-3x3")).hasMessageContaining("not 3x3");
        assertThatThrownBy(() -> catalog.parse("l4:preemptible")).hasMessageContaining("unknown accelerator");
        assertThatThrownBy(() -> catalog.parse("gpu:3")).hasMessageContaining("no GPU comes in counts of 3");
        assertThatThrownBy(() -> catalog.parse("tpu:3")).hasMessageContaining("no TPU has a slice of 3 chips");
        assertThatThrownBy(() -> catalog.parse("cpu:0")).hasMessageContaining("cpu:N asks for N vCPUs");
        assertThatThrownBy(() -> catalog.parse("cpu:lots")).hasMessageContaining("cpu:N");
    }
}
