package dev.kinetic.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.kinetic.spi.store.StoreException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retries against a misbehaving endpoint over real HTTP: transient failures (5xx, reset connections) are retried a
 * bounded number of times, client errors (4xx) never.
 */
class S3RetryTest {
    private static final int ATTEMPTS = 3;
    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void serverErrorsAreRetriedUpToTheBoundAndThenReported() throws IOException {
        serve(n -> 500);

        try (S3BlobStore store = storeAt(endpoint())) {
            assertThatThrownBy(() -> store.get("jobs/a/result.bin"))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("jobs/a/result.bin")
                    .hasMessageContaining("s3://bucket/")
                    .hasMessageContaining("500");
        }
        assertThat(requests.get()).isEqualTo(ATTEMPTS);
    }

    @Test
    void aTransientErrorThenSuccessSucceeds() throws IOException {
        serve(n -> n <= 2 ? 503 : 200);

        try (S3BlobStore store = storeAt(endpoint())) {
            assertThat(store.get("k"))
                    .hasValueSatisfying(b ->
                            assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("ok"));
        }
        assertThat(requests.get()).isEqualTo(3);
    }

    @Test
    void clientErrorsAreNotRetried() throws IOException {
        serve(n -> 403);

        try (S3BlobStore store = storeAt(endpoint())) {
            assertThatThrownBy(() -> store.put("jobs/a/job.json", new byte[] {1}))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("jobs/a/job.json")
                    .hasMessageContaining("403")
                    .hasMessageContaining("access key id retry-test-key");
        }
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void resetConnectionsAreRetriedUpToTheBound() throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket resetting = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!resetting.isClosed()) {
                    try (Socket s = resetting.accept()) {
                        accepted.incrementAndGet();
                        s.getInputStream().read(new byte[1024]);
                        s.setSoLinger(true, 0); // close with RST
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            try (S3BlobStore store = storeAt(URI.create("http://127.0.0.1:" + resetting.getLocalPort()))) {
                assertThatThrownBy(() -> store.stat("jobs/a/job.json"))
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining("jobs/a/job.json")
                        .hasMessageContaining("127.0.0.1:" + resetting.getLocalPort());
            }
        }
        assertThat(accepted.get()).isEqualTo(ATTEMPTS);
    }

    /** Answers every request with the status {@code statusOfRequest} gives for its 1-based number. */
    private void serve(IntUnaryOperator statusOfRequest) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int status = statusOfRequest.applyAsInt(requests.incrementAndGet());
            byte[] body = status == 200
                    ? "ok".getBytes(StandardCharsets.UTF_8)
                    : ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                                    + (status == 403 ? "AccessDenied" : "InternalError") + "</Code><Message>test says "
                                    + status + "</Message></Error>")
                            .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders()
                    .add("Content-Type", status == 200 ? "application/octet-stream" : "application/xml");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    private URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static S3BlobStore storeAt(URI endpoint) {
        Map<String, String> env = new HashMap<>();
        env.put("KINETIC_S3_ENDPOINT", endpoint.toString());
        env.put("AWS_ACCESS_KEY_ID", "retry-test-key");
        env.put("AWS_SECRET_ACCESS_KEY", "retry-test-secret");
        env.put("AWS_REGION", "us-east-1");
        return S3BlobStore.open(
                S3Location.parse(URI.create("s3://bucket")),
                S3Settings.fromEnvironment(env).withRetries(ATTEMPTS, Duration.ofMillis(10)));
    }
}
