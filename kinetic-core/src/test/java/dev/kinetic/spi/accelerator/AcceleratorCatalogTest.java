package dev.kinetic.spi.accelerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.KineticException;
import org.junit.jupiter.api.Test;

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

    @Test
    void unknownNamesListTheValidOnes() {
        assertThatThrownBy(() -> catalog.parse("b200"))
                .isInstanceOf(KineticException.class)
                .hasMessageContaining("'b200'")
                .hasMessageContaining("l4")
                .hasMessageContaining("tpu-v5e-N");
        assertThatThrownBy(() -> catalog.parse("l4x3")).hasMessageContaining("counts of [1,2,4,8]");
        assertThatThrownBy(() -> catalog.parse("tpu-v5e-3")).hasMessageContaining("chips");
        assertThatThrownBy(() -> catalog.parse("l4:preemptible")).hasMessageContaining("unknown accelerator");
    }
}
