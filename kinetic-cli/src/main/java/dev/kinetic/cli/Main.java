package dev.kinetic.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;

/** The {@code kinetic} command's entry point: {@code java -jar kinetic.jar ...}, or {@code bin/kinetic}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = run(args, env, Terminal.detect(env), Clock.systemUTC(), out, err);
        out.flush();
        err.flush();
        // Exit explicitly: a follower or a store client may have left threads behind.
        System.exit(code);
    }

    /** Runs one command line and returns its exit code; everything it prints goes to {@code out} and {@code err}. */
    public static int run(
            String[] args, Map<String, String> env, Terminal terminal, Clock clock, PrintWriter out, PrintWriter err) {
        return commandLine(new KineticCommand(env, terminal, clock), out, err).execute(args);
    }

    static CommandLine commandLine(KineticCommand root, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        cli.setColorScheme(Help.defaultColorScheme(root.terminal().colour() ? Help.Ansi.ON : Help.Ansi.OFF));
        cli.setUsageHelpAutoWidth(root.terminal().stdout());
        cli.setCaseInsensitiveEnumValuesAllowed(true); // --status failed
        cli.setParameterExceptionHandler(new UsageErrorHandler());
        cli.setExecutionExceptionHandler(new FailureHandler());
        return cli;
    }
}
