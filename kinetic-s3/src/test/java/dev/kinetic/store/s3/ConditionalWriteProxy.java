package dev.kinetic.store.s3;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An HTTP proxy in front of S3Mock that runs conditional requests ({@code If-None-Match}, {@code If-Match}) one at
 * a time, as AWS S3 evaluates them atomically. S3Mock 5.2.0 checks the condition and then writes without a lock, so
 * two concurrent {@code If-None-Match: *} PUTs can both succeed there. Everything else passes straight through.
 * For small requests only: bodies are buffered.
 *
 * <pre>{@code
 * try (ConditionalWriteProxy proxy = ConditionalWriteProxy.start(s3.endpoint())) {
 *     env.put("KINETIC_S3_ENDPOINT", proxy.endpoint().toString());
 * }
 * }</pre>
 */
final class ConditionalWriteProxy implements AutoCloseable {
    /** Headers the JDK client sets itself or refuses to forward. */
    private static final Set<String> NOT_FORWARDED =
            Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding", "keep-alive");

    private final URI target;
    private final HttpServer server;
    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ReentrantLock conditional = new ReentrantLock();
    private final List<Write> writes = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * One object write that reached the server: a plain PUT, or the completion of a multipart upload (its parts are
     * not counted, as they are not writes of the object).
     *
     * @param path the request path, {@code /bucket/key}
     * @param at when it arrived, in nanoseconds ({@link System#nanoTime()})
     * @param bytes the request body's length (0 for a multipart completion)
     */
    record Write(String path, long at, long bytes) {}

    private ConditionalWriteProxy(URI target, HttpServer server) {
        this.target = target;
        this.server = server;
    }

    static ConditionalWriteProxy start(URI target) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ConditionalWriteProxy proxy = new ConditionalWriteProxy(target, server);
        server.createContext("/", proxy::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        return proxy;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            record(exchange, body);
            boolean isConditional = exchange.getRequestHeaders().containsKey("If-None-Match")
                    || exchange.getRequestHeaders().containsKey("If-Match");
            if (isConditional) {
                conditional.lock();
            }
            try {
                forward(exchange, body);
            } finally {
                if (isConditional) {
                    conditional.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Every object write seen so far, in arrival order. */
    List<Write> writes() {
        return List.copyOf(writes);
    }

    private void record(HttpExchange exchange, byte[] body) {
        String method = exchange.getRequestMethod();
        String query = exchange.getRequestURI().getRawQuery();
        boolean plainPut = "PUT".equals(method) && (query == null || !query.contains("uploadId"));
        boolean completion = "POST".equals(method) && query != null && query.contains("uploadId");
        if (plainPut || completion) {
            writes.add(new Write(exchange.getRequestURI().getPath(), System.nanoTime(), plainPut ? body.length : 0));
        }
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        target.resolve(exchange.getRequestURI().toString()))
                .method(
                        exchange.getRequestMethod(),
                        body.length == 0 && !"PUT".equals(exchange.getRequestMethod())
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> header :
                exchange.getRequestHeaders().entrySet()) {
            if (!NOT_FORWARDED.contains(header.getKey().toLowerCase())) {
                header.getValue().forEach(v -> request.header(header.getKey(), v));
            }
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        response.headers().map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase()) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] out = response.body();
        boolean noBody = "HEAD".equals(exchange.getRequestMethod())
                || response.statusCode() == 204
                || response.statusCode() == 304
                || out.length == 0;
        exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : out.length);
        if (!noBody) {
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        }
    }
}
