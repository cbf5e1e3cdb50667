package dev.kinetic.backend.kubernetes.testnode;

import io.fabric8.kubernetes.api.model.EventList;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CRUD mock plus the pod log API, which the CRUD store cannot serve (it answers a log request with a list
 * of every object). Honours {@code tailLines}, {@code timestamps} and {@code sinceTime}. The mock server cannot
 * hold a response open, so {@code follow=true} answers with the log so far and ends the stream, exactly like a
 * stream that dropped: the follower must reconnect from where it was, which is what the tests check.
 */
public final class LogAwareDispatcher extends KubernetesMixedDispatcher {
    private static final Pattern LOG = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(\\?.*)?$");
    private static final Pattern EVENTS = Pattern.compile("^/api/v1/namespaces/([^/]+)/events\\?(.*fieldSelector=.*)$");

    private final PodLogs logs;

    public LogAwareDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses, PodLogs logs) {
        super(responses);
        this.logs = logs;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        Matcher events = EVENTS.matcher(request.getPath());
        if ("GET".equals(request.getMethod()) && events.matches()) {
            return eventsOf(request, events.group(1), query("?" + events.group(2)));
        }
        if ("PATCH".equals(request.getMethod())
                && String.valueOf(request.getHeader("Content-Type")).contains("apply-patch")) {
            return serverSideApply(request);
        }
        Matcher m = LOG.matcher(request.getPath());
        if (!"GET".equals(request.getMethod()) || !m.matches()) {
            return super.dispatch(request);
        }
        PodLogs.PodLog log = logs.get(m.group(1), m.group(2));
        if (log == null) {
            return status(404, "NotFound", "pods \"" + m.group(2) + "\" not found");
        }
        if (!log.isStarted()) {
            return status(
                    400,
                    "BadRequest",
                    "container \"agent\" in pod \"" + m.group(2) + "\" is waiting to start: ContainerCreating");
        }
        Map<String, String> query = query(m.group(3));
        if ("true".equals(query.get("follow"))) {
            logs.countFollow();
        }
        List<PodLogs.PodLog.Entry> entries = log.snapshot();
        if (query.containsKey("sinceTime")) {
            Instant since = OffsetDateTime.parse(query.get("sinceTime")).toInstant();
            entries = entries.stream().filter(e -> !e.time().isBefore(since)).toList();
        }
        if (query.containsKey("tailLines")) {
            int n = Integer.parseInt(query.get("tailLines"));
            entries = entries.subList(Math.max(0, entries.size() - n), entries.size());
        }
        boolean timestamps = "true".equals(query.get("timestamps"));
        StringBuilder body = new StringBuilder();
        for (PodLogs.PodLog.Entry e : entries) {
            if (timestamps) {
                body.append(e.time()).append(' ');
            }
            body.append(e.text());
        }
        return new MockResponse()
                .setResponseCode(200)
                .setHeader("Content-Type", "text/plain")
                .setBody(body.toString());
    }

    /**
     * The CRUD store honours only {@code metadata.*} field selectors (and then matches nothing); the API server
     * selects Events by {@code involvedObject.name}, as the backend asks. Serves that by listing without the
     * selector and filtering.
     */
    private MockResponse eventsOf(RecordedRequest request, String namespace, Map<String, String> query) {
        String selector = query.getOrDefault("fieldSelector", "");
        String name = null;
        for (String requirement : selector.split(",")) {
            if (requirement.startsWith("involvedObject.name=")) {
                name = requirement.substring("involvedObject.name=".length());
            }
        }
        if (name == null) {
            return super.dispatch(request);
        }
        RecordedRequest all = new RecordedRequest(
                request.getHttpVersion(),
                request.method(),
                "/api/v1/namespaces/" + namespace + "/events",
                request.getHeaders(),
                request.getBody());
        MockResponse listed = super.dispatch(all);
        if (listed.code() != 200) {
            return listed;
        }
        EventList list = Serialization.unmarshal(listed.getBody().readUtf8(), EventList.class);
        String wanted = name;
        list.setItems(list.getItems().stream()
                .filter(e -> e.getInvolvedObject() != null
                        && wanted.equals(e.getInvolvedObject().getName()))
                .toList());
        return new MockResponse()
                .setResponseCode(200)
                .setHeader("Content-Type", "application/json")
                .setBody(Serialization.asJson(list));
    }

    /**
     * Server-side apply creates an object that does not exist yet; the CRUD store's PATCH answers 404 instead. So a
     * 404 here becomes the create (a POST of the applied object to its collection), as the API server would do it.
     */
    private MockResponse serverSideApply(RecordedRequest request) {
        byte[] body = request.getBody().getBytes(); // read once: each dispatch below gets its own copy
        MockResponse patched = super.dispatch(new RecordedRequest(
                request.getHttpVersion(),
                request.method(),
                request.getPath(),
                request.getHeaders(),
                new io.fabric8.mockwebserver.http.Buffer(body)));
        if (patched.code() != 404) {
            return patched;
        }
        String path = request.getPath();
        int query = path.indexOf('?');
        String object = query < 0 ? path : path.substring(0, query);
        String collection = object.substring(0, object.lastIndexOf('/'));
        RecordedRequest create = new RecordedRequest(
                request.getHttpVersion(),
                io.fabric8.mockwebserver.dsl.HttpMethod.POST,
                collection,
                request.getHeaders(),
                new io.fabric8.mockwebserver.http.Buffer(body));
        return super.dispatch(create);
    }

    private static MockResponse status(int code, String reason, String message) {
        return new MockResponse()
                .setResponseCode(code)
                .setHeader("Content-Type", "application/json")
                .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":" + code
                        + ",\"reason\":\"" + reason + "\",\"message\":\"" + message.replace("\"", "\\\"") + "\"}");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.length() < 2) {
            return out;
        }
        for (String pair : raw.substring(1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
