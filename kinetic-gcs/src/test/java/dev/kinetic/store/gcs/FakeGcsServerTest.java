package dev.kinetic.store.gcs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The GCS stand-in behaves as Cloud Storage documents where a client has to cope with it, checked over raw HTTP so
 * that no client library smooths anything over. {@link GcsBlobStoreTest} then shows the real client and the store
 * cope with it.
 */
class FakeGcsServerTest {
    private static final String BUCKET = "fake-test";
    private static final int QUANTUM = 256 * 1024;
    private static FakeGcsServer gcs;
    private final HttpClient http = HttpClient.newHttpClient();
    private final String name = "dir/" + UUID.randomUUID() + ".bin";

    @BeforeAll
    static void start() {
        gcs = FakeGcsServer.start(BUCKET);
    }

    @AfterAll
    static void stop() {
        gcs.close();
    }

    @Test
    void aSecondMutationOfOneObjectWithinASecondIs429() throws Exception {
        assertThat(upload(name, bytes("first")).statusCode()).isEqualTo(200);

        HttpResponse<String> again = upload(name, bytes("second"));
        assertThat(again.statusCode()).isEqualTo(429);
        assertThat(again.body()).contains("rateLimitExceeded").contains(BUCKET + "/" + name);
        assertThat(media(name, null).body()).isEqualTo(bytes("first"));
        HttpResponse<String> delete =
                send(HttpRequest.newBuilder(object(name, "")).DELETE());
        assertThat(delete.statusCode()).isEqualTo(429);

        Thread.sleep(1_100);
        assertThat(upload(name, bytes("second")).statusCode()).isEqualTo(200);
        assertThat(upload("other-" + name, bytes("another name is not limited")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aResumableSessionKeepsPartOfAChunkAndAsksForTheRestWithRange() throws Exception {
        byte[] data = new byte[3 * QUANTUM + 10];
        Arrays.fill(data, (byte) 7);
        data[data.length - 1] = 9;
        URI session = session(name);

        HttpResponse<String> first = put(session, data, 0, 2 * QUANTUM, "*");
        assertThat(first.statusCode()).isEqualTo(308);
        assertThat(first.headers().firstValue("Range")).hasValue("bytes=0-" + (QUANTUM - 1));

        HttpResponse<String> rest = put(session, data, QUANTUM, data.length, String.valueOf(data.length));
        assertThat(rest.statusCode()).isEqualTo(200);
        assertThat(media(name, null).body()).isEqualTo(data);
    }

    @Test
    void aMetadataReadWithAnotherGenerationIs412ButAMissingGenerationIs404() throws Exception {
        String generation = generationOf(upload(name, bytes("x")).body());
        long other = Long.parseLong(generation) + 1;

        assertThat(send(HttpRequest.newBuilder(object(name, "?ifGenerationMatch=" + generation)))
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> mismatch = send(HttpRequest.newBuilder(object(name, "?ifGenerationMatch=" + other)));
        assertThat(mismatch.statusCode()).isEqualTo(412);
        assertThat(mismatch.body()).contains("conditionNotMet");
        assertThat(send(HttpRequest.newBuilder(object(name, "?generation=" + other)))
                        .statusCode())
                .isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(object("missing-" + name, "?ifGenerationMatch=" + generation)))
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void suffixRangesServeTheLastBytes() throws Exception {
        upload(name, bytes("0123456789"));

        HttpResponse<byte[]> last4 = media(name, "bytes=-4");
        assertThat(last4.statusCode()).isEqualTo(206);
        assertThat(new String(last4.body(), UTF_8)).isEqualTo("6789");
        assertThat(last4.headers().firstValue("Content-Range")).hasValue("bytes 6-9/10");
        assertThat(new String(media(name, "bytes=-100").body(), UTF_8)).isEqualTo("0123456789");
        assertThat(media(name, "bytes=-0").statusCode()).isEqualTo(416);
        assertThat(new String(media(name, "bytes=7-").body(), UTF_8)).isEqualTo("789");
    }

    // --- raw JSON API calls -------------------------------------------------------------------------------

    /** A whole object in one resumable request; answers the final response. */
    private HttpResponse<String> upload(String object, byte[] data) throws Exception {
        return put(session(object), data, 0, data.length, String.valueOf(data.length));
    }

    private URI session(String object) throws Exception {
        HttpResponse<String> started = send(HttpRequest.newBuilder(URI.create(gcs.endpoint() + "/upload/storage/v1/b/"
                        + BUCKET + "/o?uploadType=resumable&name=" + URLEncoder.encode(object, UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(started.statusCode()).isEqualTo(200);
        return URI.create(started.headers().firstValue("Location").orElseThrow());
    }

    private HttpResponse<String> put(URI session, byte[] data, int from, int to, String total) throws Exception {
        return send(HttpRequest.newBuilder(session)
                .header("Content-Range", "bytes " + from + "-" + (to - 1) + "/" + total)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data, from, to - from)));
    }

    private HttpResponse<byte[]> media(String object, String range) throws IOException, InterruptedException {
        HttpRequest.Builder get = HttpRequest.newBuilder(object(object, "?alt=media"));
        if (range != null) {
            get.header("Range", range);
        }
        return http.send(get.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private URI object(String object, String query) {
        return URI.create(gcs.endpoint() + "/storage/v1/b/" + BUCKET + "/o/"
                + URLEncoder.encode(object, UTF_8).replace("+", "%20") + query);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String generationOf(String resource) {
        return resource.replaceAll(".*\"generation\":\"(\\d+)\".*", "$1");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }
}
