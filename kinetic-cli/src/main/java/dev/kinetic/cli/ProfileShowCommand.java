package dev.kinetic.cli;

import dev.kinetic.spi.config.Profiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code kinetic profile show [NAME]}. */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        header = "Show a profile's settings (by default the active profile's).",
        description = "With -o json: {\"name\", \"active\", \"settings\": {KEY: VALUE}}.")
public final class ProfileShowCommand extends ProfileCommandBase {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The profile; default: the active one.")
    String name;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        Profiles profiles = profiles();
        String shown = name != null
                ? name
                : profiles.active()
                        .orElseThrow(() -> usage("no profile is active; name "
                                + "one (see `kinetic profile ls`) or activate one with `kinetic profile use NAME`"));
        if (profiles.get(shown).isEmpty()) {
            throw noSuchProfile(shown);
        }
        ProfileView view = ProfileView.of(profiles, shown);
        Printer p = printer();
        if (output.json()) {
            p.json(view);
            return ExitCodes.OK;
        }
        Table table = new Table("SETTING", "VALUE");
        view.settings().forEach(table::row);
        p.note("profile " + shown + (view.active() ? " (active)" : ""));
        p.table(table);
        return ExitCodes.OK;
    }
}
