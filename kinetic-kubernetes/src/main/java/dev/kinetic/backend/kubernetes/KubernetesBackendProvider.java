package dev.kinetic.backend.kubernetes;

import dev.kinetic.spi.Backend;
import dev.kinetic.spi.BackendProvider;
import dev.kinetic.spi.config.Settings;

/** Registers the {@code kubernetes} backend (KINETIC_BACKEND=kubernetes). */
public final class KubernetesBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public Backend create(Settings settings) {
        return new KubernetesBackend(settings.values(), settings.environment());
    }
}
