package dev.kinetic.backend;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments that start the agent for one job. The hashes travel here, not only in the stored record, so
 * the agent can verify what it downloads against what the submitter meant to run.
 *
 * @param storeUri the store the agent reads from and writes to
 * @param jobId the job id
 * @param payloadSha256 expected hash of {@code payload.bin}
 * @param classpathSha256 expected hashes of the classpath entries, in order
 * @param jvmArgs task JVM options
 * @param retries how often the backend retries a disrupted attempt; when above 0, an agent terminated without
 *     a cancel request leaves the outcome to the next attempt instead of recording a failure
 */
public record AgentCommand(String storeUri, String jobId, String payloadSha256, List<String> classpathSha256,
                           List<String> jvmArgs, int retries) {

    public AgentCommand {
        classpathSha256 = List.copyOf(classpathSha256);
        jvmArgs = List.copyOf(jvmArgs);
    }

    public AgentCommand(String storeUri, String jobId, String payloadSha256, List<String> classpathSha256,
                        List<String> jvmArgs) {
        this(storeUri, jobId, payloadSha256, classpathSha256, jvmArgs, 0);
    }

    /** The main class of the agent. */
    public static final String MAIN_CLASS = "dev.kinetic.agent.Agent";

    /** The agent's program arguments (after the main class). */
    public List<String> arguments() {
        List<String> args = new ArrayList<>(List.of("--store", storeUri, "--job", jobId, "--payload", payloadSha256));
        if (!classpathSha256.isEmpty()) {
            args.add("--classpath");
            args.add(String.join(",", classpathSha256));
        }
        if (retries > 0) {
            args.add("--retries");
            args.add(String.valueOf(retries));
        }
        for (String jvmArg : jvmArgs) {
            args.add("--jvm-arg=" + jvmArg);
        }
        return args;
    }
}
