package dev.kinetic.ui;

import dev.kinetic.KineticSession;
import dev.kinetic.testing.TestKinetic;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A real dashboard over a real, isolated Kinetic installation: its own home and directory store, the local backend
 * running real agent and task processes. Close it to stop the server and the session.
 */
final class DashboardFixture implements AutoCloseable {
    private final TestKinetic kinetic;
    private final KineticSession session;
    private final UiServer server;

    DashboardFixture(Path root) throws IOException {
        this(root, b -> b);
    }

    DashboardFixture(Path root, UnaryOperator<UiServer.Builder> options) throws IOException {
        this.kinetic = new TestKinetic(root);
        this.session = kinetic.session();
        this.server = options.apply(UiServer.builder(session).port(0)).start();
    }

    KineticSession session() {
        return session;
    }

    UiServer server() {
        return server;
    }

    /** The dashboard on 127.0.0.1, whatever address it listens on, plus {@code path}. */
    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.url().getPort() + path);
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            session.close();
        }
    }
}
