package dev.kinetic.cli;

import dev.kinetic.spi.config.Profiles;
import java.util.Map;
import java.util.TreeMap;

/**
 * A profile as the CLI prints it in JSON; the field names are part of the contract.
 *
 * @param name the profile's name
 * @param active whether it is the active profile
 * @param settings its settings by name
 */
record ProfileView(String name, boolean active, Map<String, String> settings) {

    static ProfileView of(Profiles profiles, String name) {
        return new ProfileView(
                name,
                profiles.active().map(name::equals).orElse(false),
                new TreeMap<>(profiles.get(name).orElse(Map.of())));
    }
}
