package dev.kinetic.backend.local;

import dev.kinetic.backend.Backend;
import dev.kinetic.backend.BackendProvider;
import dev.kinetic.config.Settings;

/** Registers the {@code local} backend. */
public final class LocalBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "local";
    }

    @Override
    public Backend create(Settings settings) {
        return new LocalBackend(settings.home(), ProcessLauncher.SYSTEM, settings.environment());
    }
}
