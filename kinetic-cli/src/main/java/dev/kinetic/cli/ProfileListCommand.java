package dev.kinetic.cli;

import dev.kinetic.spi.config.Profiles;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kinetic profile ls}. */
@Command(
        name = "ls",
        aliases = "list",
        mixinStandardHelpOptions = true,
        header = "List profiles; the active one is marked with *.",
        description = "With -o json: {\"active\": NAME or null, \"profiles\": [{name, active, settings}]}.")
public final class ProfileListCommand extends ProfileCommandBase {
    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        Profiles profiles = profiles();
        List<ProfileView> views = profiles.all().keySet().stream()
                .map(n -> ProfileView.of(profiles, n))
                .toList();
        Printer p = printer();
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("active", profiles.active().orElse(null));
            doc.put("profiles", views);
            p.json(doc);
            return ExitCodes.OK;
        }
        if (views.isEmpty()) {
            p.note("No profiles in " + profiles.file()
                    + ". Create one with `kinetic profile create NAME --set KEY=VALUE`.");
            return ExitCodes.OK;
        }
        Table table = new Table("ACTIVE", "NAME", "SETTINGS");
        for (ProfileView v : views) {
            table.row(
                    v.active() ? "*" : "",
                    v.name(),
                    v.settings().entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(",")));
        }
        p.table(table);
        return ExitCodes.OK;
    }
}
