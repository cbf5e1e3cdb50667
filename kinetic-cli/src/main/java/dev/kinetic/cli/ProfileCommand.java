package dev.kinetic.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** {@code kinetic profile ...}: named sets of settings in $KINETIC_HOME/profiles.json. */
@Command(
        name = "profile",
        mixinStandardHelpOptions = true,
        header = "Create, switch, list, show and remove profiles (named sets of settings).",
        description = "Profiles live in $KINETIC_HOME/profiles.json, written atomically. The active profile applies "
                + "when no flag or KINETIC_* variable sets a setting.",
        subcommands = {
            ProfileCreateCommand.class,
            ProfileUseCommand.class,
            ProfileListCommand.class,
            ProfileShowCommand.class,
            ProfileRemoveCommand.class,
            HelpCommand.class
        })
public final class ProfileCommand extends GroupCommand {}
