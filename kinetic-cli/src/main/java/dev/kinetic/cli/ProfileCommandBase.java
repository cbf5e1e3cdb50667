package dev.kinetic.cli;

import dev.kinetic.spi.config.Profiles;

/** What the profile commands share: the profiles file, found without resolving (possibly broken) settings. */
abstract class ProfileCommandBase extends CommandBase {

    Profiles profiles() {
        return new Profiles(root().homeDirectory().resolve("profiles.json"));
    }

    /** A usage error for a profile name that does not exist, saying how to see the ones that do. */
    picocli.CommandLine.ParameterException noSuchProfile(String name) {
        return usage("profile '" + name + "' does not exist in " + profiles().file()
                + "; list them with `kinetic profile ls`, create it with `kinetic profile create " + name
                + " --set KEY=VALUE`");
    }
}
