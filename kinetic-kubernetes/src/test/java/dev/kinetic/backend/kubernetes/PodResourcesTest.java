package dev.kinetic.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.KineticException;
import dev.kinetic.spi.accelerator.AcceleratorCatalog;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

/** CPU and memory requests from the catalog's machine shapes: most of the node, never more than it offers. */
class PodResourcesTest {
    private final AcceleratorCatalog catalog = AcceleratorCatalog.builtIn();

    @Test
    void gkesAllocatableFormula() {
        // GKE's documented examples: a 4-vCPU machine keeps 80m; 16 GiB keeps 2.6 GiB (plus the eviction threshold).
        assertThat(PodResources.allocatableMillicores(4)).isEqualTo(3920);
        assertThat(PodResources.allocatableMillicores(96)).isEqualTo(96_000 - 80 - 230);
        assertThat(PodResources.allocatableMebibytes(16)).isEqualTo(16_384 - 2_662 - 1 - 100);
    }

    @Test
    void everyAcceleratorPodAsksForMostOfItsNode() {
        PodResources.Requests l4 = PodResources.of(catalog.parse("l4"), null, null);
        assertThat(l4).isEqualTo(new PodResources.Requests(new Quantity("3400m"), new Quantity("12544Mi")));
        PodResources.Requests v5e = PodResources.of(catalog.parse("v5e-4"), null, null);
        assertThat(v5e.cpu().getNumericalAmount().doubleValue()).isBetween(110.0, 112.0);
        assertThat(v5e.memory().getNumericalAmount().doubleValue() / (1L << 30)).isBetween(170.0, 190.0);
        for (AcceleratorCatalog.Entry e : catalog.entries()) {
            if (e.kind().equals("cpu")) {
                continue;
            }
            for (int n : e.counts()) {
                var a = catalog.parse(e.kind().equals("tpu") ? "tpu-" + e.name() + "-" + n : e.name() + "x" + n);
                PodResources.Requests r = PodResources.of(a, null, null);
                assertThat(r.cpu().getNumericalAmount().doubleValue())
                        .as(a.idPart())
                        .isPositive()
                        .isLessThan(a.machine().vcpus());
                assertThat(r.memory().getNumericalAmount().doubleValue())
                        .as(a.idPart())
                        .isPositive()
                        .isLessThan(a.machine().memoryGb() * (double) (1L << 30));
            }
        }
    }

    @Test
    void cpuAndMemoryOverrideWithinWhatTheNodeOffers() {
        PodResources.Requests r = PodResources.of(catalog.parse("l4"), "2", "8Gi");
        assertThat(r).isEqualTo(new PodResources.Requests(new Quantity("2"), new Quantity("8Gi")));
        assertThatThrownBy(() -> PodResources.of(catalog.parse("l4"), "8", null))
                .isInstanceOf(KineticException.class)
                .hasMessageContaining("cpu='8'")
                .hasMessageContaining("g2-standard-4")
                .hasMessageContaining("at most 3420m");
        assertThatThrownBy(() -> PodResources.of(catalog.parse("l4"), null, "16Gi"))
                .hasMessageContaining("memory='16Gi'");
    }

    @Test
    void cpuJobsAskForWhatTheySay() {
        assertThat(PodResources.of(catalog.parse("cpu"), null, null))
                .isEqualTo(new PodResources.Requests(new Quantity("1"), new Quantity("2Gi")));
        assertThat(PodResources.of(catalog.parse("cpu:4"), null, null))
                .isEqualTo(new PodResources.Requests(new Quantity("4"), new Quantity("8Gi")));
        assertThat(PodResources.of(catalog.parse("cpu:4"), null, "3Gi").memory())
                .isEqualTo(new Quantity("3Gi"));
    }

    @Test
    void eachCategoryHasItsBaseImage() {
        ImageSettings s = ImageSettings.from(
                java.util.Map.of(
                        "registry", "r.example.com/k/runtime",
                        "base-image", "eclipse-temurin:17-jre",
                        "base-image-gpu", "r.example.com/base/cuda12-jre17:1"),
                java.util.Map.of());
        assertThat(s.forCategory("gpu").base()).isEqualTo("r.example.com/base/cuda12-jre17:1");
        assertThat(s.forCategory("tpu").base()).as("falls back to base-image").isEqualTo("eclipse-temurin:17-jre");
        assertThat(s.forCategory("cpu").base()).isEqualTo("eclipse-temurin:17-jre");
        assertThat(s.forCategory("gpu")).isNotEqualTo(s.forCategory("cpu"));
    }
}
