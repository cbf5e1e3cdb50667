package dev.kinetic.spi;

import dev.kinetic.spi.config.Settings;

/**
 * Service-provider interface: creates a {@link Backend} by name. Registered in
 * {@code META-INF/services/dev.kinetic.spi.BackendProvider}.
 */
public interface BackendProvider {

    /** The backend name, e.g. {@code local} or {@code kubernetes}. */
    String name();

    /** Creates the backend with the resolved settings (namespace, context, image, home, ...). */
    Backend create(Settings settings);
}
