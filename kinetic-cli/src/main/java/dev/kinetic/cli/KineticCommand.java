package dev.kinetic.cli;

import dev.kinetic.KineticException;
import dev.kinetic.KineticSession;
import dev.kinetic.spi.config.Settings;
import dev.kinetic.spi.config.SettingsResolver;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/**
 * The root {@code kinetic} command. It owns what every subcommand shares: the global settings options (inherited,
 * so they work before or after the subcommand name), the environment, the terminal and the clock.
 */
@Command(
        name = "kinetic",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        header = "Run a Java function or main class as a detached job, and follow it from any process.",
        description = {
            "Jobs run on a backend (local processes, Kubernetes) and leave their record, logs and "
                    + "result in a store (a directory, s3://, gs://). Attach to any job by its id.",
            ""
        },
        footer = {
            "",
            "Exit codes: 0 ok, 1 job failed, 2 usage error, 3 no such job or batch, 4 job cancelled, "
                    + "124 timed out (the job keeps running).",
            "Settings: flag > KINETIC_* environment > profile > default; see `kinetic config show`."
        },
        subcommands = {
            JobsCommand.class,
            BatchesCommand.class,
            SubmitCommand.class,
            GcCommand.class,
            SetupCommand.class,
            BuildImageCommand.class,
            UiCommand.class,
            AcceleratorsCommand.class,
            DoctorCommand.class,
            ConfigCommand.class,
            ProfileCommand.class,
            CompletionCommand.class,
            HelpCommand.class
        })
public final class KineticCommand extends GroupCommand {

    @Option(
            names = "--profile",
            paramLabel = "NAME",
            scope = ScopeType.INHERIT,
            description =
                    "Use this profile from $KINETIC_HOME/profiles.json instead of the active one (env KINETIC_PROFILE).")
    String profile;

    @Option(
            names = "--store",
            paramLabel = "URI",
            scope = ScopeType.INHERIT,
            description =
                    "Where job records, logs and results live: file:/dir, s3://bucket/prefix or gs://bucket/prefix (env KINETIC_STORE).")
    String store;

    @Option(
            names = "--backend",
            paramLabel = "NAME",
            scope = ScopeType.INHERIT,
            description = "Where jobs run: local or kubernetes (env KINETIC_BACKEND).")
    String backend;

    @Option(
            names = "--home",
            paramLabel = "DIR",
            scope = ScopeType.INHERIT,
            description =
                    "Kinetic's own directory with profiles.json and caches (env KINETIC_HOME, default ~/.kinetic).")
    String home;

    private final Map<String, String> environment;
    private final Terminal terminal;
    private final Clock clock;

    public KineticCommand(Map<String, String> environment, Terminal terminal, Clock clock) {
        this.environment = Map.copyOf(environment);
        this.terminal = terminal;
        this.clock = clock;
    }

    public Map<String, String> environment() {
        return environment;
    }

    public Terminal terminal() {
        return terminal;
    }

    public Clock clock() {
        return clock;
    }

    /** The global options that were given, by setting name: the {@code flag} source of the resolved settings. */
    public Map<String, String> explicitSettings() {
        Map<String, String> explicit = new LinkedHashMap<>();
        putIfSet(explicit, SettingsResolver.PROFILE, profile);
        putIfSet(explicit, SettingsResolver.STORE, store);
        putIfSet(explicit, SettingsResolver.BACKEND, backend);
        putIfSet(explicit, SettingsResolver.HOME, home);
        return explicit;
    }

    /**
     * Resolves the settings. A missing profile or a malformed store comes from the command line or the
     * environment, so it is reported as a usage error on {@code command}.
     */
    public Settings settings(CommandSpec command) {
        try {
            return new SettingsResolver(environment).resolve(explicitSettings());
        } catch (KineticException e) {
            throw new ParameterException(command.commandLine(), e.getMessage(), e);
        }
    }

    /** A session with the resolved settings; the caller closes it. */
    public KineticSession openSession(CommandSpec command) {
        return KineticSession.open(settings(command));
    }

    /**
     * Kinetic's home without resolving a profile, for the profile commands: they must work while the active
     * profile is broken, to repair it. Same precedence as the resolver: --home > KINETIC_HOME > ~/.kinetic.
     */
    public Path homeDirectory() {
        String raw = home != null ? home : environment.get("KINETIC_HOME");
        if (raw == null || raw.isEmpty()) {
            raw = "~/.kinetic";
        }
        if (raw.equals("~") || raw.startsWith("~/")) {
            raw = System.getProperty("user.home") + raw.substring(1);
        }
        return Path.of(raw).toAbsolutePath().normalize();
    }

    private static void putIfSet(Map<String, String> map, String key, String value) {
        if (value != null && !value.isEmpty()) {
            map.put(key, value);
        }
    }
}
