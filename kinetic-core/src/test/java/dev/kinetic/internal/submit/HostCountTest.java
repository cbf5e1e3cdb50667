package dev.kinetic.internal.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.JobOptions;
import dev.kinetic.KineticException;
import dev.kinetic.spi.accelerator.AcceleratorCatalog;
import org.junit.jupiter.api.Test;

/** How many hosts a job runs on: the TPU slice's count, or hosts(n) for any other accelerator. */
class HostCountTest {
    private static final AcceleratorCatalog CATALOG = AcceleratorCatalog.builtIn();

    @Test
    void multiHostSlicesBringTheirOwnCount() {
        assertThat(hosts("tpu-v5e-16", 0)).isEqualTo(4);
        assertThat(hosts("tpu-v6e-16", 0)).isEqualTo(4);
        assertThat(hosts("tpu-v5p-16", 0)).isEqualTo(4);
        assertThat(hosts("tpu-v4-16", 0)).isEqualTo(4);
        assertThat(hosts("tpu-v5e-16", 4)).as("confirming it is fine").isEqualTo(4);
        assertThat(hosts("tpu-v5e-4", 0)).isEqualTo(1);
    }

    @Test
    void anyOtherAcceleratorTakesHostsAsAsked() {
        assertThat(hosts("cpu", 0)).isEqualTo(1);
        assertThat(hosts("cpu", 3)).isEqualTo(3);
        assertThat(hosts("l4x4", 2)).isEqualTo(2);
    }

    @Test
    void aTpuCountThatDisagreesNamesBothNumbers() {
        assertThatThrownBy(() -> hosts("tpu-v5e-16", 8))
                .isInstanceOf(KineticException.class)
                .hasMessageContaining("TPU slice of 4 hosts (4x4), but hosts(8) asks for 8");
        assertThatThrownBy(() -> hosts("tpu-v5e-4", 4))
                .isInstanceOf(KineticException.class)
                .hasMessageContaining("TPU slice of 1 host (2x2), but hosts(4) asks for 4");
    }

    private static int hosts(String accelerator, int asked) {
        JobOptions.Builder b = JobOptions.builder().accelerator(accelerator);
        if (asked > 0) {
            b.hosts(asked);
        }
        return Packager.hosts(CATALOG.parse(accelerator), b.build());
    }
}
