package dev.kinetic.store.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;

/**
 * Writes objects into a stopped S3Mock's bucket directory: one directory per object ({@code <uuid>/binaryData} and
 * {@code objectMetadata.json}) plus an entry in the bucket's {@code bucketMetadata.json} index. The metadata is
 * copied from a template object the running server wrote, changing only identity, size, checksum and dates.
 */
final class S3MockSeeder {
    private static final String TEMPLATE_KEY = ".kinetic-seed-template";
    private static final String BUCKET_METADATA = "bucketMetadata.json";
    private static final String OBJECT_METADATA = "objectMetadata.json";
    private static final String DATA = "binaryData";

    private final S3MockServer server;
    private final String bucket;
    private final Path bucketDir;
    private final ObjectMapper json = new ObjectMapper();

    S3MockSeeder(S3MockServer server, String bucket, Path bucketDir) {
        this.server = server;
        this.bucket = bucket;
        this.bucketDir = bucketDir;
    }

    void seed(Map<String, byte[]> objects) throws IOException {
        writeTemplate();
        // S3Mock writes each request through to disk before answering, so nothing is lost by not waiting for a
        // graceful shutdown.
        server.kill();
        ObjectNode bucket =
                (ObjectNode) json.readTree(bucketDir.resolve(BUCKET_METADATA).toFile());
        ObjectNode index = (ObjectNode) bucket.get("objects");
        String templateId = index.get(TEMPLATE_KEY).asText();
        ObjectNode template = (ObjectNode) json.readTree(
                bucketDir.resolve(templateId).resolve(OBJECT_METADATA).toFile());
        Instant now = Instant.now();
        for (Map.Entry<String, byte[]> object : objects.entrySet()) {
            String id = UUID.randomUUID().toString();
            Path dir = Files.createDirectory(bucketDir.resolve(id));
            Files.write(dir.resolve(DATA), object.getValue());
            ObjectNode metadata = template.deepCopy();
            metadata.put("id", id);
            metadata.put("key", object.getKey());
            metadata.put("size", String.valueOf(object.getValue().length));
            metadata.put("etag", md5(object.getValue()));
            metadata.put("modificationDate", now.toString());
            metadata.put("lastModified", now.toEpochMilli());
            metadata.put("dataPath", dir.resolve(DATA).toUri().toString());
            json.writeValue(dir.resolve(OBJECT_METADATA).toFile(), metadata);
            index.put(object.getKey(), id);
        }
        index.remove(TEMPLATE_KEY);
        deleteTree(bucketDir.resolve(templateId));
        json.writeValue(bucketDir.resolve(BUCKET_METADATA).toFile(), bucket);
        server.launch();
    }

    private void writeTemplate() throws IOException {
        HttpRequest put = HttpRequest.newBuilder(URI.create(server.endpoint() + "/" + bucket + "/" + TEMPLATE_KEY))
                .header("Content-Type", S3BlobStore.CONTENT_TYPE)
                .PUT(HttpRequest.BodyPublishers.ofString("template"))
                .build();
        try {
            int status = HttpClient.newHttpClient()
                    .send(put, HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (status != 200) {
                throw new IOException("S3Mock answered " + status + " to the template PUT");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String md5(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Iterator<Path> it = files.iterator(); it.hasNext(); ) {
                Files.delete(it.next());
            }
        }
        Files.delete(dir);
    }
}
