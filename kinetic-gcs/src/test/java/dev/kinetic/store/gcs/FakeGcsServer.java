package dev.kinetic.store.gcs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kinetic.store.gcs.FakeGcsObjects.PreconditionFailed;
import dev.kinetic.store.gcs.FakeGcsObjects.Session;
import dev.kinetic.store.gcs.FakeGcsObjects.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * A small stand-in for the Cloud Storage JSON API over real HTTP on 127.0.0.1, for tests that point the real
 * google-cloud-storage client at it with {@code setHost}. It serves exactly the calls that client makes for a
 * {@link GcsBlobStore}: multipart uploads (gzip or not), resumable upload sessions with chunked PUTs, media
 * downloads with {@code Range}, object metadata, listing with prefix, delimiter and page tokens, deletes, and
 * {@code ifGenerationMatch} preconditions (412 when they fail). Anything else gets 501 naming the request, so a
 * client change shows up as a clear test failure. Object bytes live in files, never in memory.
 *
 * <pre>{@code
 * try (FakeGcsServer gcs = FakeGcsServer.start("kinetic-test")) {
 *     BlobStore store = BlobStores.open(URI.create("gs://kinetic-test"), gcs.environment());
 * }
 * }</pre>
 */
final class FakeGcsServer implements AutoCloseable {
    private static final Pattern OBJECT = Pattern.compile("^/(?:download/)?storage/v1/b/([^/]+)/o/(.+)$");
    private static final Pattern OBJECTS = Pattern.compile("^/(?:upload/)?storage/v1/b/([^/]+)/o$");
    private static final Pattern BUCKET = Pattern.compile("^/storage/v1/b/([^/]+)$");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\*|(\\d+)-(\\d+))/(\\*|\\d+)");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    private final Path dir;
    private final FakeGcsObjects objects;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Failure failure;

    /** Answers {@code remaining} requests matching {@code which} ("METHOD /path?query") with {@code status}. */
    private record Failure(Predicate<String> which, int status, AtomicInteger remaining) {}

    private FakeGcsServer(HttpServer server, Path dir) {
        this.server = server;
        this.dir = dir;
        this.objects = new FakeGcsObjects(dir);
    }

    /** Starts on a free port of 127.0.0.1 with the given buckets. */
    static FakeGcsServer start(String... buckets) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeGcsServer fake = new FakeGcsServer(http, Files.createTempDirectory("kinetic-fake-gcs-"));
            for (String bucket : buckets) {
                fake.objects.createBucket(bucket);
            }
            http.createContext("/", fake::handle);
            http.setExecutor(fake.executor);
            http.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** What a Kinetic process needs to use this server. */
    Map<String, String> environment() {
        return Map.of("KINETIC_GCS_ENDPOINT", endpoint().toString(), "KINETIC_GCS_PROJECT", "kinetic-test");
    }

    /** How many requests arrived so far. */
    int requestCount() {
        return requests.get();
    }

    /** Makes the next {@code count} requests whose "METHOD /path?query" matches {@code which} fail with {@code status}. */
    void failRequests(Predicate<String> which, int status, int count) {
        failure = new Failure(which, status, new AtomicInteger(count));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        try {
            Failure f = failure;
            String line = method + " " + exchange.getRequestURI();
            if (f != null && f.which().test(line) && f.remaining().getAndDecrement() > 0) {
                exchange.getRequestBody().readAllBytes();
                error(exchange, f.status(), "injected failure");
                return;
            }
            Matcher m;
            if ((m = OBJECTS.matcher(path)).matches() && path.startsWith("/upload/") && method.equals("POST")) {
                upload(exchange, m.group(1), query);
            } else if ((m = OBJECTS.matcher(path)).matches() && path.startsWith("/upload/") && method.equals("PUT")) {
                chunk(exchange, m.group(1), query);
            } else if ((m = OBJECTS.matcher(path)).matches() && method.equals("GET")) {
                list(exchange, m.group(1), query);
            } else if ((m = OBJECT.matcher(path)).matches() && method.equals("GET")) {
                String name = decodePath(m.group(2));
                if (path.startsWith("/download/") || "media".equals(query.get("alt"))) {
                    media(exchange, m.group(1), name, query);
                } else {
                    metadata(exchange, m.group(1), name, query);
                }
            } else if ((m = OBJECT.matcher(path)).matches() && method.equals("DELETE")) {
                delete(exchange, m.group(1), decodePath(m.group(2)));
            } else if ((m = BUCKET.matcher(path)).matches() && method.equals("GET")) {
                bucket(exchange, m.group(1));
            } else {
                error(exchange, 501, "the fake GCS server does not implement " + line);
            }
        } catch (RuntimeException | IOException e) {
            error(exchange, 500, "fake GCS server failed: " + e);
        } finally {
            exchange.close();
        }
    }

    // --- uploads ----------------------------------------------------------------------------------------

    private void upload(HttpExchange exchange, String bucket, Map<String, String> query) throws IOException {
        if (!objects.hasBucket(bucket)) {
            exchange.getRequestBody().readAllBytes();
            error(exchange, 404, "The specified bucket does not exist.");
            return;
        }
        Long ifGenerationMatch = Optional.ofNullable(query.get("ifGenerationMatch"))
                .map(Long::valueOf)
                .orElse(null);
        String type = query.getOrDefault("uploadType", "");
        if (type.equals("multipart")) {
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            List<byte[]> parts = MultipartRelated.parts(
                    body.readAllBytes(), exchange.getRequestHeaders().getFirst("Content-Type"));
            String name = json.readTree(parts.get(0)).path("name").asText(query.get("name"));
            Path content = objects.newFile();
            Files.write(content, parts.get(1));
            commit(exchange, bucket, name, content, ifGenerationMatch);
        } else if (type.equals("resumable")) {
            byte[] metadata = exchange.getRequestBody().readAllBytes();
            String name = metadata.length > 0
                    ? json.readTree(metadata).path("name").asText(query.get("name"))
                    : query.get("name");
            String id = UUID.randomUUID().toString();
            objects.openSession(id, bucket, name, ifGenerationMatch);
            exchange.getResponseHeaders()
                    .add(
                            "Location",
                            endpoint() + "/upload/storage/v1/b/" + bucket + "/o?uploadType=resumable&upload_id=" + id);
            exchange.sendResponseHeaders(200, -1);
        } else {
            exchange.getRequestBody().readAllBytes();
            error(exchange, 501, "the fake GCS server does not implement uploadType=" + type);
        }
    }

    private void chunk(HttpExchange exchange, String bucket, Map<String, String> query) throws IOException {
        String id = query.get("upload_id");
        Session session = id == null ? null : objects.session(id);
        if (session == null) {
            exchange.getRequestBody().readAllBytes();
            error(exchange, 404, "No such upload session: " + id);
            return;
        }
        String range = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Range"))
                .orElse("bytes */*");
        Matcher m = CONTENT_RANGE.matcher(range);
        if (!m.matches()) {
            exchange.getRequestBody().readAllBytes();
            error(exchange, 400, "bad Content-Range " + range);
            return;
        }
        if (m.group(2) != null) {
            FakeGcsObjects.append(session, Long.parseLong(m.group(2)), exchange.getRequestBody());
        } else {
            exchange.getRequestBody().readAllBytes();
        }
        boolean complete = !m.group(4).equals("*") && session.received == Long.parseLong(m.group(4));
        if (complete) {
            objects.closeSession(id);
            commit(exchange, bucket, session.name, session.file, session.ifGenerationMatch);
            return;
        }
        if (session.received > 0) {
            exchange.getResponseHeaders().add("Range", "bytes=0-" + (session.received - 1));
        }
        exchange.sendResponseHeaders(308, -1);
    }

    private void commit(HttpExchange exchange, String bucket, String name, Path content, Long ifGenerationMatch)
            throws IOException {
        try {
            sendJson(exchange, 200, resource(objects.commit(bucket, name, content, ifGenerationMatch)));
        } catch (PreconditionFailed e) {
            error(exchange, 412, e.getMessage(), "conditionNotMet");
        }
    }

    // --- reads ------------------------------------------------------------------------------------------

    private void metadata(HttpExchange exchange, String bucket, String name, Map<String, String> query)
            throws IOException {
        StoredObject o = current(bucket, name, query);
        if (o == null) {
            error(exchange, 404, "No such object: " + bucket + "/" + name);
            return;
        }
        sendJson(exchange, 200, resource(o));
    }

    private void media(HttpExchange exchange, String bucket, String name, Map<String, String> query)
            throws IOException {
        StoredObject o = current(bucket, name, query);
        if (o == null) {
            error(exchange, 404, "No such object: " + bucket + "/" + name);
            return;
        }
        long start = 0;
        long end = o.size() - 1;
        String range = exchange.getRequestHeaders().getFirst("Range");
        boolean ranged = range != null && range.startsWith("bytes=");
        if (ranged) {
            String[] bounds = range.substring("bytes=".length()).split("-", -1);
            start = Long.parseLong(bounds[0]);
            if (!bounds[1].isEmpty()) {
                end = Math.min(end, Long.parseLong(bounds[1]));
            }
            if (start >= o.size()) {
                error(exchange, 416, "The requested range cannot be satisfied.", "requestedRangeNotSatisfiable");
                return;
            }
            exchange.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + end + "/" + o.size());
        } else {
            exchange.getResponseHeaders().add("x-goog-hash", "crc32c=" + o.crc32c() + ",md5=" + o.md5());
        }
        exchange.getResponseHeaders().add("Content-Type", GcsBlobStore.CONTENT_TYPE);
        exchange.getResponseHeaders().add("x-goog-generation", String.valueOf(o.generation()));
        exchange.getResponseHeaders().add("x-goog-metageneration", "1");
        exchange.getResponseHeaders().add("x-goog-stored-content-length", String.valueOf(o.size()));
        exchange.getResponseHeaders().add("x-goog-stored-content-encoding", "identity");
        long length = end - start + 1;
        exchange.sendResponseHeaders(ranged ? 206 : 200, length == 0 ? -1 : length);
        if (length > 0) {
            try (FileChannel file = FileChannel.open(o.file(), StandardOpenOption.READ);
                    OutputStream out = exchange.getResponseBody()) {
                file.transferTo(start, length, Channels.newChannel(out));
            }
        }
    }

    private void list(HttpExchange exchange, String bucket, Map<String, String> query) throws IOException {
        NavigableMap<String, StoredObject> all = objects.bucket(bucket);
        if (all == null) {
            error(exchange, 404, "The specified bucket does not exist.");
            return;
        }
        String prefix = query.getOrDefault("prefix", "");
        String delimiter = query.get("delimiter");
        String after = Optional.ofNullable(query.get("pageToken"))
                .map(t -> new String(Base64.getUrlDecoder().decode(t), StandardCharsets.UTF_8))
                .orElse(null);
        int max = Integer.parseInt(query.getOrDefault("maxResults", "1000"));
        ArrayNode items = json.createArrayNode();
        ArrayNode prefixes = json.createArrayNode();
        String last = null;
        String lastPrefix = null;
        int count = 0;
        boolean more = false;
        for (StoredObject o : all.tailMap(prefix, true).values()) {
            if (!o.name().startsWith(prefix)) {
                break;
            }
            // With a delimiter, names below the next delimiter roll up into one "prefixes" entry.
            String entry = o.name();
            int cut = delimiter == null ? -1 : o.name().indexOf(delimiter, prefix.length());
            if (cut >= 0) {
                entry = o.name().substring(0, cut + delimiter.length());
                if (entry.equals(lastPrefix)) {
                    continue;
                }
            }
            if (after != null && entry.compareTo(after) <= 0) {
                continue;
            }
            if (count == max) {
                more = true;
                break;
            }
            if (cut >= 0) {
                prefixes.add(entry);
                lastPrefix = entry;
            } else {
                items.add(resource(o));
            }
            last = entry;
            count++;
        }
        ObjectNode page = json.createObjectNode().put("kind", "storage#objects");
        if (!items.isEmpty()) {
            page.set("items", items);
        }
        if (!prefixes.isEmpty()) {
            page.set("prefixes", prefixes);
        }
        if (more) {
            page.put("nextPageToken", Base64.getUrlEncoder().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
        }
        sendJson(exchange, 200, page);
    }

    private void delete(HttpExchange exchange, String bucket, String name) throws IOException {
        if (!objects.hasBucket(bucket) || !objects.delete(bucket, name)) {
            error(exchange, 404, "No such object: " + bucket + "/" + name);
            return;
        }
        exchange.sendResponseHeaders(204, -1);
    }

    private void bucket(HttpExchange exchange, String bucket) throws IOException {
        if (!objects.hasBucket(bucket)) {
            error(exchange, 404, "The specified bucket does not exist.");
            return;
        }
        sendJson(
                exchange,
                200,
                json.createObjectNode()
                        .put("kind", "storage#bucket")
                        .put("id", bucket)
                        .put("name", bucket)
                        .put("location", "US")
                        .put("storageClass", "STANDARD"));
    }

    /** The object, if it exists and matches a {@code generation} or {@code ifGenerationMatch} parameter. */
    private StoredObject current(String bucket, String name, Map<String, String> query) {
        StoredObject o = objects.get(bucket, name);
        String generation = query.getOrDefault("generation", query.get("ifGenerationMatch"));
        if (o != null && generation != null && Long.parseLong(generation) != o.generation()) {
            return null;
        }
        return o;
    }

    // --- wire helpers -----------------------------------------------------------------------------------

    private ObjectNode resource(StoredObject o) {
        return json.createObjectNode()
                .put("kind", "storage#object")
                .put("id", o.bucket() + "/" + o.name() + "/" + o.generation())
                .put("name", o.name())
                .put("bucket", o.bucket())
                .put("generation", String.valueOf(o.generation()))
                .put("metageneration", "1")
                .put("contentType", GcsBlobStore.CONTENT_TYPE)
                .put("size", String.valueOf(o.size()))
                .put("md5Hash", o.md5())
                .put("crc32c", o.crc32c())
                .put("etag", "CK" + o.generation())
                .put("storageClass", "STANDARD")
                .put("timeCreated", o.updated().toString())
                .put("updated", o.updated().toString());
    }

    private void error(HttpExchange exchange, int status, String message) throws IOException {
        error(exchange, status, message, status == 404 ? "notFound" : "backendError");
    }

    private void error(HttpExchange exchange, int status, String message, String reason) throws IOException {
        ObjectNode detail = json.createObjectNode()
                .put("message", message)
                .put("domain", "global")
                .put("reason", reason);
        ObjectNode error = json.createObjectNode().put("code", status).put("message", message);
        error.putArray("errors").add(detail);
        sendJson(exchange, status, json.createObjectNode().set("error", error));
    }

    private void sendJson(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                out.put(
                        URLDecoder.decode(key, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** Percent-decodes a path segment; unlike a query, a path keeps '+' literal. */
    private static String decodePath(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
