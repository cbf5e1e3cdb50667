package dev.kinetic.testing;

import dev.kinetic.KineticSession;
import dev.kinetic.spi.config.SettingsResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * An isolated Kinetic installation for a test: its own home and directory store under a temporary folder, and
 * an environment map that tests can extend. Sessions opened from it never touch {@code ~/.kinetic}.
 */
public final class TestKinetic {
    private final Path home;
    private final Map<String, String> environment = new HashMap<>(System.getenv());

    public TestKinetic(Path root) throws IOException {
        this.home = Files.createDirectories(root.resolve("home"));
        environment.put("KINETIC_HOME", home.toString());
        environment.put("KINETIC_STORE", home.resolve("store").toUri().toString());
        environment.remove("KINETIC_PROFILE");
        environment.remove("KINETIC_BACKEND");
    }

    public Path home() {
        return home;
    }

    public Path storeDir() {
        return home.resolve("store");
    }

    /** The environment sessions read; add variables before {@link #session()}. */
    public Map<String, String> environment() {
        return environment;
    }

    public KineticSession session() {
        return KineticSession.open(new SettingsResolver(environment).resolve(Map.of()));
    }
}
