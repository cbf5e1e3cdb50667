package dev.kinetic.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.BatchHandle;
import dev.kinetic.Cleanup;
import dev.kinetic.JobHandle;
import dev.kinetic.JobStatus;
import dev.kinetic.ui.view.JobView;
import dev.kinetic.ui.view.ViewJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON API and its guards, over real HTTP, against a dashboard of real local jobs. The views must be the CLI's
 * (the same records, written by the same mapper), and the guards must refuse what the issue says they refuse.
 */
class DashboardApiTest {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    private static DashboardFixture dashboard;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws IOException {
        dashboard = new DashboardFixture(tmp.resolve("loopback"));
    }

    @AfterAll
    static void stop() {
        dashboard.close();
    }

    @Test
    void jobsAndJobAreTheCliJobViewWithItsFieldNames() throws Exception {
        JobHandle<Integer> job = dashboard
                .session()
                .remote(() -> TestJobs.printLines(3, 10))
                .label("team", "ui")
                .runAsync();
        job.result(JOB_TIMEOUT, Cleanup.NONE);

        JsonNode list = getJson("/api/jobs");
        JsonNode listed = find(list, job.id());
        JsonNode expected = ViewJson.MAPPER.valueToTree(JobView.of(job.describe()));
        assertThat(fieldNames(listed)).containsExactlyElementsOf(fieldNames(expected));
        assertThat(fieldNames(listed))
                .startsWith("id", "function", "status", "reason", "accelerator", "backend", "createdAt");
        assertThat(listed.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(listed.get("labels").get("team").asText()).isEqualTo("ui");
        // A listing reads times from events and has no exit code; the job's own view is describe()'s.
        assertThat(getJson("/api/jobs/" + job.id())).isEqualTo(expected);

        assertThat(ids(getJson("/api/jobs?status=succeeded"))).contains(job.id());
        assertThat(ids(getJson("/api/jobs?status=FAILED"))).doesNotContain(job.id());
        assertThat(ids(getJson("/api/jobs?label=team=ui"))).containsExactly(job.id());
        assertThat(ids(getJson("/api/jobs?label=team=other"))).isEmpty();
        assertThat(ids(getJson("/api/jobs?q=TEAM=U"))).containsExactly(job.id());
        assertThat(get("/api/jobs?status=sleeping").statusCode()).isEqualTo(400);
        assertThat(getJson("/api/jobs?status=sleeping").get("error").asText()).contains("sleeping", "RUNNING");

        JsonNode logs = getJson("/api/jobs/" + job.id() + "/logs?tail=2");
        assertThat(fieldNames(logs)).containsExactly("id", "lines");
        assertThat(JSON.convertValue(logs.get("lines"), List.class)).containsExactly("line 2 of 3", "line 3 of 3");

        JsonNode record = getJson("/api/jobs/" + job.id() + "/record");
        assertThat(record.get("id").asText()).isEqualTo(job.id());
        assertThat(record.get("labels").get("team").asText()).isEqualTo("ui");

        JsonNode value = getJson("/api/jobs/" + job.id() + "/result");
        assertThat(fieldNames(value)).containsExactly("id", "status", "type", "format", "value");
        assertThat(value.get("value").asInt()).isEqualTo(3);
        assertThat(job.status()).as("reading the result keeps the job").isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void unknownAndMalformedIdsAreNotFoundAndBadRequest() throws Exception {
        assertThat(get("/api/jobs/cpu-nothing-20260101-000000-0000000").statusCode())
                .isEqualTo(404);
        HttpResponse<String> bad = get("/api/jobs/NOT%20AN%20ID");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(get("/api/batches/grp-00000000").statusCode()).isEqualTo(404);
        assertThat(get("/api/batches/nope").statusCode()).isEqualTo(400);
    }

    @Test
    void aFailedJobsFailureCarriesTheRemoteStackTraceFromPlainJson() throws Exception {
        JobHandle<Integer> job =
                dashboard.session().remote(() -> TestJobs.failWith("bad lr")).runAsync();
        awaitEnd(job);
        JsonNode failure = getJson("/api/jobs/" + job.id() + "/failure");
        assertThat(failure.get("status").asText()).isEqualTo("FAILED");
        assertThat(failure.get("phase").asText()).isEqualTo("execute");
        assertThat(failure.get("reason").asText()).contains("IllegalStateException", "bad lr");
        assertThat(failure.get("exceptionType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(failure.get("remoteStackTrace").asText()).contains("bad lr", "TestJobs.failWith");
        assertThat(find(getJson("/api/jobs?status=failed"), job.id())
                        .get("reason")
                        .asText())
                .as("the listing fills in an ended job's reason")
                .contains("bad lr");
        assertThat(ids(getJson("/api/jobs?q=BAD%20LR"))).containsExactly(job.id());
        HttpResponse<String> result = get("/api/jobs/" + job.id() + "/result");
        assertThat(result.statusCode()).isEqualTo(409);
        assertThat(result.body()).contains("FAILED");
    }

    @Test
    void aValueOfTheJobsOwnClassIsNeverLoadedItNeedsTheJobsClasspath() throws Exception {
        // The class is on this JVM's classpath; the dashboard still must not load it.
        JobHandle<TestJobs.Metrics> job =
                dashboard.session().remote(TestJobs::metrics).runAsync();
        awaitEnd(job);
        JsonNode value = getJson("/api/jobs/" + job.id() + "/result");
        assertThat(value.get("format").asText()).isEqualTo("needs-classpath");
        assertThat(value.get("value").asText()).isEqualTo("needs the job's classpath");
        assertThat(value.get("missingClass").asText()).isEqualTo(TestJobs.Metrics.class.getName());
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void outputsListAndDownloadOnlyListedFilesAsAttachments() throws Exception {
        JobHandle<String> job =
                dashboard.session().remote(TestJobs::writeOutputs).runAsync();
        awaitEnd(job);
        JsonNode outputs = getJson("/api/jobs/" + job.id() + "/outputs");
        assertThat(fieldNames(outputs)).containsExactly("id", "outputs");
        List<String> paths = new ArrayList<>();
        outputs.get("outputs").forEach(f -> paths.add(f.get("path").asText()));
        assertThat(paths).containsExactly("checkpoints/epoch-1.txt", "report.html");
        assertThat(fieldNames(outputs.get("outputs").get(0))).containsExactly("path", "size", "lastModified");

        HttpResponse<String> html = get("/api/jobs/" + job.id() + "/outputs/report.html");
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.body()).isEqualTo("<script>alert(1)</script>");
        assertThat(html.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(html.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"report.html\"");
        assertThat(html.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(get("/api/jobs/" + job.id() + "/outputs/checkpoints/epoch-1.txt")
                        .body())
                .isEqualTo("weights");
        assertThat(get("/api/jobs/" + job.id() + "/outputs/../job.json").statusCode())
                .isIn(400, 404);
        assertThat(get("/api/jobs/" + job.id() + "/outputs/checkpoints%2F..%2F..%2Fjob.json")
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void theLogStreamSendsEveryLineLiveThenEnd() throws Exception {
        JobHandle<Integer> job =
                dashboard.session().remote(() -> TestJobs.printLines(20, 100)).runAsync();
        HttpRequest request = HttpRequest.newBuilder(dashboard.url("/api/jobs/" + job.id() + "/logs/stream"))
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<Stream<String>> response = HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
        List<String> lines = new ArrayList<>();
        String event = null;
        String end = null;
        try (Stream<String> body = response.body()) {
            Iterator<String> it = body.iterator();
            while (it.hasNext() && end == null) {
                String line = it.next();
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    String data = line.substring(5).trim();
                    if ("lines".equals(event)) {
                        JSON.readTree(data).forEach(l -> lines.add(l.asText()));
                    } else if ("end".equals(event)) {
                        end = data;
                    }
                }
            }
        }
        assertThat(lines).hasSize(20).startsWith("line 1 of 20").endsWith("line 20 of 20");
        assertThat(end).isEqualTo("{\"status\":\"SUCCEEDED\"}");
    }

    @Test
    void batchesAreTheCliBatchViewWithTheirInputs() throws Exception {
        BatchHandle<Integer> batch = dashboard
                .session()
                .remote((Integer n) -> TestJobs.printLines(n, 10))
                .runAsyncMap(List.of(1, 2, 3));
        batch.results(JOB_TIMEOUT);
        JsonNode listed = null;
        for (JsonNode b : getJson("/api/batches")) {
            if (b.get("id").asText().equals(batch.id())) {
                listed = b;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(fieldNames(listed))
                .containsExactly(
                        "id",
                        "size",
                        "notSubmitted",
                        "counts",
                        "done",
                        "workersAlive",
                        "queued",
                        "running",
                        "finished");
        assertThat(listed.get("counts").get("SUCCEEDED").asInt()).isEqualTo(3);
        assertThat(getJson("/api/batches/" + batch.id())).isEqualTo(listed);
        JsonNode inputs = getJson("/api/batches/" + batch.id() + "/inputs");
        assertThat(inputs).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(inputs.get(i).get("index").asInt()).isEqualTo(i);
            assertThat(inputs.get(i).get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(inputs.get(i).get("jobId").asText())
                    .isEqualTo(batch.jobs().get(i).orElseThrow().id());
        }
    }

    @Test
    void aPostNeedsTheCsrfTokenAndTheDashboardsOwnOrigin() throws Exception {
        JobHandle<Integer> job =
                dashboard.session().remote(() -> TestJobs.printLines(600, 100)).runAsync();
        try {
            URI cancel = dashboard.url("/api/jobs/" + job.id() + "/cancel");
            String csrf = getJson("/api/csrf").get("csrfToken").asText();

            assertThat(post(cancel, Map.of()).statusCode()).isEqualTo(403);
            assertThat(post(cancel, Map.of("X-CSRF-Token", "0".repeat(32))).statusCode())
                    .isEqualTo(403);
            HttpResponse<String> crossOrigin =
                    post(cancel, Map.of("X-CSRF-Token", csrf, "Origin", "http://evil.example"));
            assertThat(crossOrigin.statusCode()).isEqualTo(403);
            assertThat(crossOrigin.body()).contains("cross-origin");
            assertThat(post(cancel, Map.of("X-CSRF-Token", csrf, "Sec-Fetch-Site", "cross-site"))
                            .statusCode())
                    .isEqualTo(403);
            assertThat(get("/api/jobs/" + job.id() + "/cancel").statusCode())
                    .as("a GET never changes anything")
                    .isIn(404, 405);
            assertThat(job.status()).isIn(JobStatus.PENDING, JobStatus.RUNNING);

            String origin = "http://127.0.0.1:" + dashboard.url("/").getPort();
            HttpResponse<String> ok = post(cancel, Map.of("X-CSRF-Token", csrf, "Origin", origin));
            assertThat(ok.statusCode()).isEqualTo(200);
            JsonNode view = JSON.readTree(ok.body());
            assertThat(fieldNames(view)).containsExactly("id", "cancelled", "status");
            assertThat(view.get("cancelled").asBoolean()).isTrue();
            assertThat(view.get("status").asText()).isEqualTo("CANCELLED");

            HttpResponse<String> cleanup =
                    post(dashboard.url("/api/jobs/" + job.id() + "/cleanup"), Map.of("X-CSRF-Token", csrf));
            assertThat(JSON.readTree(cleanup.body()).get("store").asBoolean()).isTrue();
            assertThat(get("/api/jobs/" + job.id()).statusCode()).isEqualTo(404);
        } finally {
            job.cancel();
        }
    }

    @Test
    void onLoopbackOnlyLoopbackHostNamesAreServedAgainstDnsRebinding() throws Exception {
        assertThat(rawStatus(dashboard.url("/").getPort(), "evil.example")).isEqualTo(403);
        assertThat(rawStatus(
                        dashboard.url("/").getPort(),
                        "localhost:" + dashboard.url("/").getPort()))
                .isEqualTo(200);
    }

    @Test
    void everyResponseCarriesAPolicyThatRunsOnlyTheDashboardsOwnScripts() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(
                        csp -> assertThat(csp).contains("script-src 'self'").doesNotContain("unsafe"));
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(get("/static/app.js").statusCode()).isEqualTo(200);
        assertThat(get("/static/../page.html").statusCode()).isEqualTo(404);
    }

    @Test
    void beyondLoopbackEveryRequestNeedsTheGeneratedToken() throws Exception {
        try (DashboardFixture open = new DashboardFixture(tmp.resolve("open"), b -> b.bind("0.0.0.0"))) {
            UiServer server = open.server();
            assertThat(server.tokenGenerated()).isTrue();
            String token = server.token().orElseThrow();
            assertThat(token).hasSize(32);
            assertThat(server.browserUrl().toString()).endsWith("/?token=" + token);

            for (String path : List.of("/", "/api/jobs", "/static/app.js", "/api/csrf", "/jobs/x")) {
                HttpResponse<String> refused = send(HttpRequest.newBuilder(open.url(path)));
                assertThat(refused.statusCode()).as(path).isEqualTo(401);
                assertThat(refused.body()).as(path).contains("token").doesNotContain(token);
            }
            assertThat(send(HttpRequest.newBuilder(open.url("/api/jobs")).header("Authorization", "Bearer nope"))
                            .statusCode())
                    .isEqualTo(401);
            assertThat(send(HttpRequest.newBuilder(open.url("/?token=" + "x".repeat(32))))
                            .statusCode())
                    .isEqualTo(401);
            assertThat(send(HttpRequest.newBuilder(open.url("/api/jobs")).header("Authorization", "Bearer " + token))
                            .statusCode())
                    .isEqualTo(200);

            HttpResponse<String> once = send(HttpRequest.newBuilder(open.url("/batches?token=" + token + "&x=1")));
            assertThat(once.statusCode()).isEqualTo(303);
            assertThat(once.headers().firstValue("Location")).hasValue("/batches?x=1");
            String cookie = once.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie)
                    .contains("HttpOnly")
                    .containsIgnoringCase("SameSite=Strict")
                    .doesNotContain(token);
            String pair = cookie.substring(0, cookie.indexOf(';'));
            assertThat(send(HttpRequest.newBuilder(open.url("/api/jobs")).header("Cookie", pair))
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void aGivenTokenIsNeededOnLoopbackTooAndMustBeStrong() throws Exception {
        String token = "a-token-of-20-chars-";
        try (DashboardFixture guarded = new DashboardFixture(tmp.resolve("guarded"), b -> b.token(token))) {
            assertThat(guarded.server().tokenGenerated()).isFalse();
            assertThat(send(HttpRequest.newBuilder(guarded.url("/api/jobs"))).statusCode())
                    .isEqualTo(401);
            assertThat(send(HttpRequest.newBuilder(guarded.url("/api/jobs")).header("Authorization", "Bearer " + token))
                            .statusCode())
                    .isEqualTo(200);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> UiServer.builder(dashboard.session()).token("short"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--token must be 16 to 256")
                .hasMessageContaining("openssl rand -hex 16");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> UiServer.builder(dashboard.session())
                        .bind("no-such-host.invalid")
                        .start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--bind no-such-host.invalid");
    }

    // ---- helpers ----

    private static void awaitEnd(JobHandle<?> job) throws InterruptedException {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        while (!job.status().isTerminal()) {
            assertThat(System.nanoTime()).as("job %s ended in time", job.id()).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(dashboard.url(path)));
    }

    private static JsonNode getJson(String path) throws IOException, InterruptedException {
        return JSON.readTree(get(path).body());
    }

    private static HttpResponse<String> post(URI uri, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request with a Host header of our choosing (the JDK client does not allow setting it). */
    private static int rawStatus(int port, String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    private static JsonNode find(JsonNode jobs, String id) {
        for (JsonNode j : jobs) {
            if (j.get("id").asText().equals(id)) {
                return j;
            }
        }
        throw new AssertionError("job " + id + " is not in " + jobs);
    }

    private static List<String> ids(JsonNode jobs) {
        List<String> ids = new ArrayList<>();
        jobs.forEach(j -> ids.add(j.get("id").asText()));
        return ids;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
