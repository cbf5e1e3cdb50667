package dev.kinetic.cli;

import dev.kinetic.spi.config.Profiles;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kinetic profile use NAME}, or {@code --none} to have no active profile. */
@Command(
        name = "use",
        mixinStandardHelpOptions = true,
        header = "Make a profile the active one (or, with --none, have none).")
public final class ProfileUseCommand extends ProfileCommandBase {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The profile to activate.")
    String name;

    @Option(names = "--none", description = "Deactivate the active profile: defaults and KINETIC_* variables apply.")
    boolean none;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        if ((name == null) == !none) {
            throw usage(
                    none
                            ? "give either a profile NAME or --none, not both"
                            : "which profile? Give its NAME "
                                    + "(see `kinetic profile ls`), or --none to deactivate the active one");
        }
        Profiles profiles = profiles();
        if (name != null && profiles.get(name).isEmpty()) {
            throw noSuchProfile(name);
        }
        profiles.use(name);
        Printer p = printer();
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("active", name);
            p.json(doc);
        } else {
            p.line(name == null ? "no active profile" : "active profile: " + name);
        }
        return ExitCodes.OK;
    }
}
