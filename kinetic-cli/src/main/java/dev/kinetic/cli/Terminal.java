package dev.kinetic.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the process is attached to. Colour, relative ages and progress bars are for people at a terminal;
 * a pipe or a file gets plain, stable text.
 *
 * @param stdout whether standard output is a terminal
 * @param stderr whether standard error is a terminal
 * @param colour whether to colour standard output ({@code NO_COLOR} and {@code TERM=dumb} turn it off)
 */
public record Terminal(boolean stdout, boolean stderr, boolean colour) {

    /** A terminal that is not one: what tests and pipes see. */
    public static final Terminal NONE = new Terminal(false, false, false);

    /** Detects the real process's streams. */
    @SuppressWarnings("SystemConsoleNull") // Java 17, the version this runs on: null means no terminal
    public static Terminal detect(Map<String, String> env) {
        // System.console() is non-null only when stdin and stdout are both a terminal (JDK 17).
        boolean stdout = System.console() != null;
        boolean stderr = stdout && stderrIsTerminal();
        String noColor = env.get("NO_COLOR");
        boolean colour = stdout && (noColor == null || noColor.isEmpty()) && !"dumb".equals(env.get("TERM"));
        return new Terminal(stdout, stderr, colour);
    }

    /** Linux tells where fd 2 points; elsewhere assume stderr follows stdout, as it does in a plain shell. */
    private static boolean stderrIsTerminal() {
        Path fd = Path.of("/proc/self/fd/2");
        if (!Files.exists(fd)) {
            return true;
        }
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
