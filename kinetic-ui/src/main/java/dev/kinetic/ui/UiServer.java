package dev.kinetic.ui;

import dev.kinetic.KineticException;
import dev.kinetic.KineticSession;
import dev.kinetic.spi.config.Settings;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.BlobStores;
import io.javalin.Javalin;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The dashboard behind {@code kinetic ui}: pages of the jobs and batches of one session's store and backend, and the
 * same views as JSON under {@code /api/...}. It only reads through the public API, and cancels or cleans up when a
 * page asks with a POST.
 * <pre>{@code
 * try (KineticSession kinetic = KineticSession.fromEnvironment();
 *         UiServer ui = UiServer.builder(kinetic).port(8265).start()) {
 *     System.out.println(ui.url());
 *     Thread.currentThread().join();
 * }
 * }</pre>
 * Bound to 127.0.0.1 by default. Bound to anything else, every request needs a token (given, or generated and
 * exposed by {@link #token()}); see {@link AccessGuard} for what else guards it.
 */
public final class UiServer implements AutoCloseable {
    /** {@code kinetic ui}'s port when none is given. */
    public static final int DEFAULT_PORT = 8265;
    /** {@code kinetic ui}'s address when none is given: this machine only. */
    public static final String DEFAULT_BIND = "127.0.0.1";

    private final Javalin app;
    private final BlobStore store;
    private final LogStreams logStreams;
    private final URI url;
    private final String token;
    private final boolean tokenGenerated;

    private UiServer(Javalin app, BlobStore store, LogStreams logStreams, URI url, String token, boolean generated) {
        this.app = app;
        this.store = store;
        this.logStreams = logStreams;
        this.url = url;
        this.token = token;
        this.tokenGenerated = generated;
    }

    /** A server of {@code kinetic}'s store and backend; the caller keeps and closes the session. */
    public static Builder builder(KineticSession kinetic) {
        return new Builder(kinetic);
    }

    /** Where the dashboard is, e.g. {@code http://127.0.0.1:8265/}; without the token. */
    public URI url() {
        return url;
    }

    /** The token every request needs, or empty when none is needed (loopback without {@code --token}). */
    public Optional<String> token() {
        return Optional.ofNullable(token);
    }

    /** Whether the server made up its token (bound beyond loopback without one): the person needs to be told it. */
    public boolean tokenGenerated() {
        return tokenGenerated;
    }

    /** The URL to open in a browser: with {@code ?token=}, which the server swaps for a cookie, when one is needed. */
    public URI browserUrl() {
        return token == null ? url : URI.create(url + "?token=" + token);
    }

    /** Stops serving and closes the store client it opened; the session stays open. */
    @Override
    public void close() {
        try {
            logStreams.close();
            app.stop();
        } finally {
            store.close();
        }
    }

    /** What {@code kinetic ui} takes: {@code --bind}, {@code --port}, {@code --token}. */
    public static final class Builder {
        private final KineticSession kinetic;
        private String bind = DEFAULT_BIND;
        private int port = DEFAULT_PORT;
        private String token;

        private Builder(KineticSession kinetic) {
            this.kinetic = kinetic;
        }

        /** The address to listen on: 127.0.0.1 (default), ::1, localhost, 0.0.0.0, or one of this machine's. */
        public Builder bind(String address) {
            this.bind = address;
            return this;
        }

        /** The port; 0 picks a free one ({@link #url()} tells which). */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0 (any free port) to 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * The token every request must carry; {@code null} to need none on loopback and generate one beyond it.
         *
         * @throws IllegalArgumentException if it is shorter than 16 characters or has characters other than
         *     letters, digits, {@code .}, {@code _}, {@code ~} and {@code -} (it travels in a URL and a cookie)
         */
        public Builder token(String token) {
            this.token = token == null ? null : AccessGuard.checkToken(token);
            return this;
        }

        /**
         * Starts serving.
         *
         * @throws IllegalArgumentException if the address is not one of this machine's
         * @throws KineticException if the port is taken or the store cannot be opened
         */
        public UiServer start() {
            InetAddress address = resolve(bind);
            boolean loopback = address.isLoopbackAddress();
            boolean generated = token == null && !loopback;
            String required = generated ? AccessGuard.newToken() : token;
            Settings settings = kinetic.settings();
            BlobStore store = BlobStores.open(settings.store(), settings.environment());
            LogStreams logStreams = new LogStreams();
            AccessGuard guard = new AccessGuard(required, loopback && required == null);
            Routes routes = new Routes(kinetic, store, guard, logStreams);
            Javalin app = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                config.startup.showOldJavalinVersionWarning = false;
                config.jetty.host = address.getHostAddress();
                config.jetty.port = port;
                config.http.maxRequestSize = 64 * 1024; // nothing here takes a body larger than a form
                routes.register(config);
            });
            try {
                app.start();
            } catch (RuntimeException e) {
                logStreams.close();
                store.close();
                throw startFailure(e);
            }
            URI url = URI.create("http://" + hostForUrl(address) + ":" + app.port() + "/");
            return new UiServer(app, store, logStreams, url, required, generated);
        }

        private KineticException startFailure(RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException) {
                    return new KineticException(
                            "cannot listen on " + bind + " port " + port + ": " + t.getMessage()
                                    + "; pick another port with --port (0 for any free one)",
                            e);
                }
            }
            return new KineticException("the dashboard did not start on " + bind + ":" + port + ": " + e, e);
        }

        private static InetAddress resolve(String bind) {
            try {
                return InetAddress.getByName(bind);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(
                        "--bind " + bind + " is not an address of this machine; use 127.0.0.1 (this machine only, "
                                + "the default), 0.0.0.0 (every interface) or one of its addresses",
                        e);
            }
        }

        /** What to put in the URL: a wildcard address is no place to connect to, so this machine's name instead. */
        private static String hostForUrl(InetAddress address) {
            String host;
            if (address.isAnyLocalAddress()) {
                try {
                    host = InetAddress.getLocalHost().getHostName();
                } catch (UnknownHostException e) {
                    host = "localhost";
                }
            } else {
                host = address.getHostAddress();
            }
            return host.contains(":") ? "[" + host + "]" : host;
        }
    }
}
