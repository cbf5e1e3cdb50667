package dev.kinetic.cli;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Opens a URL in the desktop's browser for {@code kinetic ui --open}, through the system's own opener: {@code open}
 * on macOS, {@code xdg-open} on Linux with a display, {@code rundll32} on Windows. AWT's Desktop is not used: the
 * command usually runs on a headless JDK, where it is missing or throws.
 */
final class BrowserLauncher {
    private BrowserLauncher() {}

    /** Whether an opener was started; {@code false} when there is no browser to open here. */
    static boolean open(URI url) {
        List<String> command = command(url);
        if (command == null) {
            return false;
        }
        try {
            new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<String> command(URI url) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            return List.of("open", url.toString());
        }
        if (os.contains("win")) {
            return List.of("rundll32", "url.dll,FileProtocolHandler", url.toString());
        }
        boolean display = System.getenv("DISPLAY") != null || System.getenv("WAYLAND_DISPLAY") != null;
        return display && onPath("xdg-open") ? List.of("xdg-open", url.toString()) : null;
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
