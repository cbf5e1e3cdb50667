package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Every command, option and parameter has help text, and every data command takes -o. Checked on the command
 * model in this JVM (one process per command would add nothing but seconds); CommandLineIT runs --help for real.
 */
class HelpTextIT {
    private final CommandLine root = Main.commandLine(
            new KineticCommand(Map.of(), Terminal.NONE, Clock.systemUTC()),
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()));

    @Test
    void everyCommandOptionAndParameterIsDescribed() {
        List<String> missing = new ArrayList<>();
        for (CommandSpec spec : commands(root.getCommandSpec())) {
            String name = spec.qualifiedName();
            if (spec.usageMessage().header().length == 0 && spec.usageMessage().description().length == 0) {
                missing.add(name);
            }
            for (OptionSpec o : spec.options()) {
                if (o.description().length == 0 || o.description()[0].isBlank()) {
                    missing.add(name + " " + o.longestName());
                }
            }
            for (PositionalParamSpec p : spec.positionalParameters()) {
                if (p.description().length == 0 || p.description()[0].isBlank()) {
                    missing.add(name + " " + p.paramLabel());
                }
            }
            assertThat(spec.optionsMap())
                    .as("%s has --help and --version", name)
                    .containsKeys("--help");
        }
        assertThat(missing)
                .as("commands, options and parameters without help text")
                .isEmpty();
    }

    @Test
    void everyCommandThatPrintsDataTakesOutputAndTheGlobalOptions() {
        for (CommandSpec spec : commands(root.getCommandSpec())) {
            boolean group = !spec.subcommands().isEmpty();
            // ui serves until stopped: it prints only its URL, and its data is the JSON under /api/...
            boolean exempt = group
                    || spec.name().equals("help")
                    || spec.name().equals("completion")
                    || spec.name().equals("ui");
            if (!exempt) {
                assertThat(spec.optionsMap()).as(spec.qualifiedName()).containsKeys("-o", "--output");
            }
            if (!spec.name().equals("help")) {
                assertThat(spec.optionsMap())
                        .as(spec.qualifiedName())
                        .containsKeys("--profile", "--store", "--backend", "--home");
            }
        }
    }

    private static List<CommandSpec> commands(CommandSpec spec) {
        List<CommandSpec> out = new ArrayList<>(List.of(spec));
        // Aliases map to the same subcommand: visit each once.
        spec.subcommands().values().stream().distinct().forEach(sub -> out.addAll(commands(sub.getCommandSpec())));
        return out.stream().distinct().toList();
    }
}
