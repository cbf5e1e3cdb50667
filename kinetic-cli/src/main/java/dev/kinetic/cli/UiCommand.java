package dev.kinetic.cli;

import dev.kinetic.KineticSession;
import dev.kinetic.spi.config.Settings;
import dev.kinetic.ui.UiServer;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kinetic ui}: serves the web dashboard of the configured store and backend until stopped. */
@Command(
        name = "ui",
        mixinStandardHelpOptions = true,
        header = "Serve a web dashboard of the configured store and backend: jobs, logs, outputs, batches.",
        description = {
            "Prints the dashboard's URL and serves until stopped with Ctrl-C. Pages refresh live; every view is also "
                    + "JSON under /api/... with the same fields as -o json (e.g. /api/jobs, /api/jobs/ID, /api/batches).",
            "Listens on 127.0.0.1 by default, for this machine only. On any other address every request needs a "
                    + "token: give one with --token, or one is generated and printed. Send it as "
                    + "'Authorization: Bearer TOKEN', or open the URL with ?token=TOKEN once (it sets a cookie).",
            "Cancel and Clean up are POSTs that need the page's CSRF token and are refused from other origins. The "
                    + "dashboard never loads a job's own classes: such results show as \"needs the job's classpath\"."
        })
public final class UiCommand extends CommandBase {
    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "" + UiServer.DEFAULT_PORT,
            description = "The port to listen on (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            defaultValue = UiServer.DEFAULT_BIND,
            description = "The address to listen on (default ${DEFAULT-VALUE}, this machine only); e.g. 0.0.0.0 for "
                    + "every interface, which needs a token.")
    String bind;

    @Option(
            names = "--token",
            paramLabel = "T",
            description = "The token every request must carry (16+ letters, digits, '.', '_', '~', '-'). Without it, "
                    + "one is generated when --bind is not a loopback address.")
    String token;

    @Option(names = "--open", description = "Open the dashboard in a browser, when this machine has one.")
    boolean open;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65_535) {
            throw usage("--port must be 0 (any free port) to 65535, got " + port);
        }
        KineticSession kinetic = root().openSession(spec);
        UiServer server;
        try {
            server =
                    UiServer.builder(kinetic).bind(bind).port(port).token(token).start();
        } catch (IllegalArgumentException e) {
            kinetic.close();
            throw usage(e.getMessage());
        } catch (RuntimeException e) {
            kinetic.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                server.close();
                            } finally {
                                kinetic.close();
                                stopped.countDown();
                            }
                        },
                        "kinetic-ui-stop"));

        Printer p = printer();
        p.line(server.browserUrl().toString());
        Settings settings = kinetic.settings();
        if (server.tokenGenerated()) {
            p.note("kinetic: listening on " + bind + " beyond this machine, so every request needs the token "
                    + server.token().orElseThrow() + " (generated; choose one with --token). Send it as "
                    + "'Authorization: Bearer <token>', or open the URL above once.");
        } else if (server.token().isPresent()) {
            p.note("kinetic: every request needs the token given with --token.");
        }
        p.note("kinetic: dashboard of store " + settings.store() + ", backend " + settings.backend()
                + "; stop it with Ctrl-C.");
        if (open && !BrowserLauncher.open(server.browserUrl())) {
            p.note("kinetic: no browser to open here (--open); open the URL above yourself.");
        }
        // Serve until the JVM is asked to stop (Ctrl-C, SIGTERM); the hook above closes the server and the session.
        stopped.await();
        return ExitCodes.OK;
    }
}
