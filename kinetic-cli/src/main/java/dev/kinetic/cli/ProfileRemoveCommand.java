package dev.kinetic.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code kinetic profile rm NAME}. */
@Command(
        name = "rm",
        aliases = "remove",
        mixinStandardHelpOptions = true,
        header = "Remove a profile; if it was active, no profile is active afterwards.")
public final class ProfileRemoveCommand extends ProfileCommandBase {
    @Parameters(index = "0", paramLabel = "NAME", description = "The profile to remove.")
    String name;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        if (!profiles().remove(name)) {
            throw noSuchProfile(name);
        }
        Printer p = printer();
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("removed", name);
            p.json(doc);
        } else {
            p.line("removed profile " + name);
        }
        return ExitCodes.OK;
    }
}
