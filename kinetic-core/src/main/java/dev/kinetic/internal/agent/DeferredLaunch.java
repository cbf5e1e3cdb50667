package dev.kinetic.internal.agent;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The launch of a local job's agent, kept for later: a job far back in the queue ({@link LocalSlots}) has no process
 * at all, only this recipe in its host's state directory ({@code launch}: the command line and environment its
 * submitter would have used). Whoever decides who runs next starts it once the job comes near the head of the queue,
 * so a queue of hundreds costs files, not hundreds of idle JVMs, and still moves after every submitter has exited.
 *
 * <p>The recipe holds the agent's environment (the store's endpoint and credentials, as the submitter passes them on):
 * it is readable by its owner only, and deleted once the agent is started. The state directory's other names are the
 * local backend's: {@code pid} (the agent's {@link ProcessIdentity}), {@code output.log}, {@code agent.log}.
 *
 * <p>On the agent's path: loops, no lambdas (see {@link Agent}).
 */
public final class DeferredLaunch {
    /** The recipe's name in a host's state directory. */
    public static final String FILE = "launch";

    private DeferredLaunch() {}

    /** Keeps the launch of the agent whose state directory is {@code hostState}, to start it later. */
    public static void write(Path hostState, List<String> command, Map<String, String> environment) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String arg : command) {
            b.append("arg ").append(escape(arg)).append('\n');
        }
        for (Map.Entry<String, String> e : environment.entrySet()) {
            b.append("env ")
                    .append(escape(e.getKey()))
                    .append('=')
                    .append(escape(e.getValue()))
                    .append('\n');
        }
        Path tmp = hostState.resolve(FILE + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, b.toString().getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, hostState.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether an agent waits to be started there (a recipe, and no agent started yet). */
    public static boolean pending(Path hostState) {
        return Files.exists(hostState.resolve(FILE)) && !Files.exists(hostState.resolve("pid"));
    }

    /**
     * Starts the agent kept in {@code hostState}, if it still waits to be; callers hold the slots' lock, so two never
     * start one agent twice. Returns whether it started one.
     */
    static boolean launch(Path hostState) throws IOException {
        if (!pending(hostState)) {
            return false;
        }
        String text;
        try {
            text = new String(Files.readAllBytes(hostState.resolve(FILE)), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return false; // cleaned up meanwhile
        }
        List<String> command = new ArrayList<>();
        Map<String, String> environment = new HashMap<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            String line = text.substring(start, end < 0 ? text.length() : end);
            start = end < 0 ? text.length() : end + 1;
            if (line.startsWith("arg ")) {
                command.add(unescape(line.substring(4)));
            } else if (line.startsWith("env ")) {
                int eq = line.indexOf('=');
                environment.put(unescape(line.substring(4, eq)), unescape(line.substring(eq + 1)));
            }
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.redirectOutput(
                ProcessBuilder.Redirect.appendTo(hostState.resolve("output.log").toFile()));
        builder.redirectError(
                ProcessBuilder.Redirect.appendTo(hostState.resolve("agent.log").toFile()));
        long pid = builder.start().pid();
        LocalSlots.writeAtomically(
                hostState.resolve("pid"), ProcessIdentity.of(pid).text());
        Files.deleteIfExists(hostState.resolve(FILE)); // the environment it holds is not kept longer than needed
        return true;
    }

    /** One line per value: backslashes and line ends escaped. */
    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                b.append("\\\\");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '=') {
                b.append("\\e"); // so the first '=' of an env line separates name and value
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n == 'e' ? '=' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
