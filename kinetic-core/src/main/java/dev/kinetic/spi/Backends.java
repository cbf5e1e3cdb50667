package dev.kinetic.spi;

import dev.kinetic.KineticException;
import dev.kinetic.spi.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds a {@link BackendProvider} by name. */
public final class Backends {
    private Backends() {}

    public static Backend create(String name, Settings settings) {
        List<String> known = new ArrayList<>();
        for (BackendProvider provider : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
            if (provider.name().equals(name)) {
                return provider.create(settings);
            }
            known.add(provider.name());
        }
        String hint =
                name.equals("kubernetes") ? " Add the dev.kinetic:kinetic-kubernetes module to the classpath." : "";
        throw new KineticException("unknown backend '" + name + "'; available: " + String.join(", ", known)
                + ". Set it with KINETIC_BACKEND or the backend option." + hint);
    }
}
