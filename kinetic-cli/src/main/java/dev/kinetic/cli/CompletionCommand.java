package dev.kinetic.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

/** {@code kinetic completion}: the shell completion script, generated from the commands themselves. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        header = "Print a bash/zsh completion script for kinetic.",
        description = {
            "bash:  source <(kinetic completion)",
            "zsh:   autoload -U +X bashcompinit && bashcompinit && source <(kinetic completion)",
            "Or save it once: kinetic completion > /etc/bash_completion.d/kinetic"
        })
public final class CompletionCommand extends CommandBase {
    @Override
    public Integer call() {
        printer().out().print(AutoComplete.bash("kinetic", spec.root().commandLine()));
        printer().out().flush();
        return ExitCodes.OK;
    }
}
