package dev.kinetic.internal.local;

import dev.kinetic.spi.Backend;
import dev.kinetic.spi.BackendProvider;
import dev.kinetic.spi.config.Settings;

/** Registers the {@code local} backend. */
public final class LocalBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "local";
    }

    @Override
    public Backend create(Settings settings) {
        return new LocalBackend(settings.home(), ProcessLauncher.SYSTEM, settings.environment(), settings.values());
    }
}
