package dev.kinetic.backend.kubernetes.testnode;

import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
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

    private final PodLogs logs;

    public LogAwareDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses, PodLogs logs) {
        super(responses);
        this.logs = logs;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
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
