package dev.kinetic.cli;

import dev.kinetic.spi.config.Settings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kinetic config show}: each resolved setting and where it came from. */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        header = "Show each resolved setting and where it came from: flag, env, profile or default.",
        description = {
            "Precedence: a flag (--store, --backend, --profile, --home) > a KINETIC_* environment "
                    + "variable > the active profile > the default. Values of settings that look secret are masked.",
            "With -o json: {\"profile\": NAME or null, \"settings\": {NAME: {\"value\", \"source\"}}}."
        })
public final class ConfigShowCommand extends CommandBase {
    /** Settings come from KINETIC_* variables too, which may hold credentials: never print those. */
    private static final Pattern SECRET = Pattern.compile("(?i).*(secret|password|token|credential|private).*");

    @Mixin
    OutputOption output;

    /** One setting; field names are part of the JSON contract. */
    record Setting(String value, String source) {}

    @Override
    public Integer call() {
        Settings settings = root().settings(spec);
        Map<String, Setting> shown = new TreeMap<>();
        settings.values()
                .forEach((name, value) -> shown.put(
                        name,
                        new Setting(
                                SECRET.matcher(name).matches() ? "****" : value,
                                settings.sources().get(name))));
        Printer p = printer();
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("profile", settings.profile());
            doc.put("settings", shown);
            p.json(doc);
            return ExitCodes.OK;
        }
        Table table = new Table("SETTING", "VALUE", "SOURCE");
        shown.forEach((name, s) -> table.row(name, s.value(), s.source()));
        p.table(table);
        return ExitCodes.OK;
    }
}
