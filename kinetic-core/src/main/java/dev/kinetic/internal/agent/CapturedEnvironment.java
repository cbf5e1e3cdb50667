package dev.kinetic.internal.agent;

import dev.kinetic.internal.protocol.FailurePhase;
import dev.kinetic.internal.protocol.PayloadFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of a job's captured environment variables ({@code captureEnv}), for its task. They are never in the
 * store: the backend hands them to the agent (the local agent's own environment, or a Kubernetes Secret the container
 * reads), and the payload names them only. A payload of the old format still carries them, and they are used then.
 */
public final class CapturedEnvironment {
    private CapturedEnvironment() {}

    /**
     * @throws AgentFailure naming the variables this attempt did not receive (a retry or a resumed batch input:
     *     captured values are not kept anywhere, so they cannot come back by themselves)
     */
    public static Map<String, String> resolve(PayloadFile.Header header, Map<String, String> agentEnvironment)
            throws AgentFailure {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String name : header.captured()) {
            String value = header.legacyValues().get(name);
            if (value == null) {
                value = agentEnvironment.get(name);
            }
            if (value == null) {
                missing.add(name);
            } else {
                out.put(name, value);
            }
        }
        if (!missing.isEmpty()) {
            throw new AgentFailure(
                    FailurePhase.AGENT,
                    "the captured environment variable(s) " + missing
                            + " did not reach this attempt: captured values are never stored (no store, record or log holds"
                            + " them), so a job run again without its submitter cannot get them back; submit the job again"
                            + " from an environment that sets them");
        }
        return out;
    }
}
