package dev.kinetic.spi.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Resolved settings, each with where it came from. Built by {@link SettingsResolver}: explicit option >
 * {@code KINETIC_*} environment variable > active profile > default.
 *
 * @param home Kinetic's own directory ({@code KINETIC_HOME}, default {@code ~/.kinetic})
 * @param store where job artifacts live ({@code KINETIC_STORE}, default {@code file:<home>/store})
 * @param backend where jobs run ({@code KINETIC_BACKEND}, default {@code local})
 * @param profile the active profile's name, or {@code null}
 * @param values every resolved setting by name (including backend-specific ones such as {@code namespace})
 * @param sources for each name in {@code values}: {@code flag}, {@code env}, {@code profile} or {@code default}
 * @param environment the environment the settings were read from, passed on to stores and backends
 */
public record Settings(
        Path home,
        URI store,
        String backend,
        String profile,
        Map<String, String> values,
        Map<String, String> sources,
        Map<String, String> environment) {

    public Settings {
        values = Map.copyOf(values);
        sources = Map.copyOf(sources);
        environment = Map.copyOf(environment);
    }

    /** A resolved setting by name. */
    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** Settings from the process environment and the active profile. */
    public static Settings fromEnvironment() {
        return new SettingsResolver(System.getenv()).resolve(Map.of());
    }
}
