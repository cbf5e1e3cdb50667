package dev.kinetic.cli;

import dev.kinetic.KineticException;
import dev.kinetic.spi.config.Profiles;
import dev.kinetic.spi.config.SettingsResolver;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kinetic profile create NAME --set KEY=VALUE...}. */
@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        header = "Create a profile.",
        description = "Settings are the names `kinetic config show` lists: store, backend, and backend settings such "
                + "as namespace or image.",
        footer = {
            "",
            "Example: kinetic profile create gke --set backend=kubernetes --set store=gs://team-bucket/kinetic "
                    + "--set namespace=ml --use"
        })
public final class ProfileCreateCommand extends ProfileCommandBase {
    @Parameters(index = "0", paramLabel = "NAME", description = "The profile's name: letters, digits, '.', '_', '-'.")
    String name;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A setting of the profile. Repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--replace", description = "Replace the profile if it exists (by default that is an error).")
    boolean replace;

    @Option(names = "--use", description = "Also make it the active profile.")
    boolean use;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        for (String key : settings.keySet()) {
            if (key.equals(SettingsResolver.HOME) || key.equals(SettingsResolver.PROFILE)) {
                throw usage("--set " + key + ": a profile cannot set '" + key + "'; use --" + key + " or KINETIC_"
                        + key.toUpperCase(java.util.Locale.ROOT) + " instead");
            }
        }
        Profiles profiles = profiles();
        if (!replace && profiles.get(name).isPresent()) {
            throw usage("profile '" + name + "' already exists; pass --replace to overwrite it, or remove it with "
                    + "`kinetic profile rm " + name + "`");
        }
        try {
            profiles.put(name, settings);
        } catch (KineticException e) {
            throw usage(e.getMessage());
        }
        if (use) {
            profiles.use(name);
        }
        Printer p = printer();
        if (output.json()) {
            p.json(ProfileView.of(profiles, name));
        } else {
            p.line("created profile " + name + (use ? " (active)" : "") + " in " + profiles.file());
        }
        return ExitCodes.OK;
    }
}
