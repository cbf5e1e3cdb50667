package dev.kinetic.store.gcs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kinetic.store.gcs.FakeGcsObjects.PreconditionFailed;
import dev.kinetic.store.gcs.FakeGcsObjects.RateLimited;
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
 * <p>Where Cloud Storage documents behaviour a client must cope with, the stand-in has it too (each is cited where
 * it is implemented): a second mutation of one object name within a second is refused with 429; a resumable session
 * keeps only part of a chunk and answers 308 with a shorter {@code Range}; a read whose {@code ifGenerationMatch}
 * names another generation gets 412, not 404; suffix ranges ({@code Range: bytes=-N}) are served.
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
    /** Resumable upload chunks are multiples of this, and so is what a session keeps of one. */
    private static final long QUANTUM = 256 * 1024;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    private final Path dir;
    private final FakeGcsObjects objects;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger partialChunks = new AtomicInteger();
    private final AtomicInteger failedFinalizations = new AtomicInteger();
    private volatile boolean keepPartOfChunks = true;
    private volatile boolean keepRateLimitedBytes;
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

    /** How many mutations of an object name were refused with 429 because the last was less than a second ago. */
    int rateLimitedCount() {
        return objects.rateLimitedCount();
    }

    /** How many resumable upload chunks were kept only in part (answered 308 with a shorter Range). */
    int partialChunkCount() {
        return partialChunks.get();
    }

    /**
     * Whether a resumable session keeps all but the last 256 KiB of every chunk of 512 KiB or more that is not the
     * last (the default), as Cloud Storage may; off, every chunk is kept whole.
     */
    void keepPartOfChunks(boolean on) {
        keepPartOfChunks = on;
    }

    /**
     * Whether the final request of a resumable upload that is refused with 429 keeps its bytes in the session (off by
     * default: a refused request changes nothing). Cloud Storage does not document which it does; on, the session
     * then holds every byte without an object, as after {@link #failFinalizations}.
     */
    void keepRateLimitedBytes(boolean on) {
        keepRateLimitedBytes = on;
    }

    /**
     * Makes the next {@code count} final requests of resumable uploads fail with 503 after their bytes were persisted,
     * without creating the object.
     */
    void failFinalizations(int count) {
        failedFinalizations.set(count);
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
            if (!commit(exchange, bucket, name, content, ifGenerationMatch)) {
                Files.deleteIfExists(content);
            }
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
        long before = session.received;
        if (m.group(2) != null) {
            FakeGcsObjects.append(session, Long.parseLong(m.group(2)), exchange.getRequestBody());
        } else {
            exchange.getRequestBody().readAllBytes();
        }
        boolean complete = !m.group(4).equals("*") && session.received == Long.parseLong(m.group(4));
        if (complete && failedFinalizations.get() > 0 && failedFinalizations.getAndDecrement() > 0) {
            // The bytes are kept but the object is not created, as when the final request fails after Cloud Storage
            // persisted its bytes: only a request that finalizes (bytes */size) completes the session now.
            error(exchange, 503, "injected failure after the bytes were persisted");
            return;
        }
        if (complete) {
            if (commit(exchange, bucket, session.name, session.file, session.ifGenerationMatch)) {
                objects.closeSession(id);
            } else if (!keepRateLimitedBytes) {
                // 429: the request was refused as a whole, its bytes are not kept; the session stays open.
                FakeGcsObjects.dropTail(session, session.received - before);
            }
            return;
        }
        if (keepPartOfChunks && session.received - before >= 2L * QUANTUM) {
            // Cloud Storage may persist only part of a chunk (in 256 KiB units) and name what it kept in Range; the
            // client must send the rest again (https://cloud.google.com/storage/docs/performing-resumable-uploads).
            FakeGcsObjects.dropTail(session, QUANTUM);
            partialChunks.incrementAndGet();
        }
        if (session.received > 0) {
            exchange.getResponseHeaders().add("Range", "bytes=0-" + (session.received - 1));
        }
        exchange.sendResponseHeaders(308, -1);
    }

    /** Answers the commit; false if it was refused for the object's mutation rate (and nothing changed). */
    private boolean commit(HttpExchange exchange, String bucket, String name, Path content, Long ifGenerationMatch)
            throws IOException {
        try {
            sendJson(exchange, 200, resource(objects.commit(bucket, name, content, ifGenerationMatch)));
        } catch (PreconditionFailed e) {
            error(exchange, 412, e.getMessage(), "conditionNotMet");
        } catch (RateLimited e) {
            error(exchange, 429, e.getMessage(), "rateLimitExceeded");
            return false;
        }
        return true;
    }

    // --- reads ------------------------------------------------------------------------------------------

    private void metadata(HttpExchange exchange, String bucket, String name, Map<String, String> query)
            throws IOException {
        StoredObject o = current(exchange, bucket, name, query);
        if (o != null) {
            sendJson(exchange, 200, resource(o));
        }
    }

    private void media(HttpExchange exchange, String bucket, String name, Map<String, String> query)
            throws IOException {
        StoredObject o = current(exchange, bucket, name, query);
        if (o == null) {
            return;
        }
        long start = 0;
        long end = o.size() - 1;
        String range = exchange.getRequestHeaders().getFirst("Range");
        boolean ranged = range != null && range.startsWith("bytes=");
        if (ranged) {
            String[] bounds = range.substring("bytes=".length()).split("-", -1);
            if (bounds[0].isEmpty()) {
                // A suffix range, "bytes=-N": the last N bytes, or the whole object if it is shorter (RFC 9110 14.1.2;
                // the JSON API takes the standard Range header,
                // https://cloud.google.com/storage/docs/json_api/v1/parameters).
                long suffix = Long.parseLong(bounds[1]);
                start = suffix == 0 ? o.size() : Math.max(0, o.size() - suffix);
            } else {
                start = Long.parseLong(bounds[0]);
                if (!bounds[1].isEmpty()) {
                    end = Math.min(end, Long.parseLong(bounds[1]));
                }
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
        try {
            if (!objects.hasBucket(bucket) || !objects.delete(bucket, name)) {
                error(exchange, 404, "No such object: " + bucket + "/" + name);
                return;
            }
        } catch (RateLimited e) {
            error(exchange, 429, e.getMessage(), "rateLimitExceeded");
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

    /**
     * The object a read names, or null after answering: 404 if there is no such object or no such
     * {@code generation}; 412 if it exists but {@code ifGenerationMatch} names another generation, as Cloud Storage
     * answers a failed precondition (https://cloud.google.com/storage/docs/request-preconditions).
     */
    private StoredObject current(HttpExchange exchange, String bucket, String name, Map<String, String> query)
            throws IOException {
        StoredObject o = objects.get(bucket, name);
        String generation = query.get("generation");
        if (o == null || (generation != null && Long.parseLong(generation) != o.generation())) {
            error(exchange, 404, "No such object: " + bucket + "/" + name);
            return null;
        }
        String ifGenerationMatch = query.get("ifGenerationMatch");
        if (ifGenerationMatch != null && Long.parseLong(ifGenerationMatch) != o.generation()) {
            error(exchange, 412, "At least one of the pre-conditions you specified did not hold.", "conditionNotMet");
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
