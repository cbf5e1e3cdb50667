package dev.kinetic.internal.agent;

import dev.kinetic.internal.data.DataMaterializer;
import dev.kinetic.internal.protocol.FailurePhase;
import dev.kinetic.internal.protocol.PayloadFile;
import dev.kinetic.spi.AgentCommand;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a job's task needs, in place and verified, before the agent starts it: the payload and classpath (checked
 * against the hashes in the agent's command), the job's data and volumes, the outputs an earlier attempt or job left,
 * and the captured environment. On the agent's start-up path: no lambdas (see {@link Agent}).
 */
final class TaskInputs {
    Path payload;
    List<Path> classpath;
    PayloadFile.Header header;
    Path dataDir;
    Path outputDir;
    Path outcomeDir;
    OutputSync outputs;
    Map<String, String> captured;

    private TaskInputs() {}

    /** Fetches and verifies the payload and classpath, places data and volumes, restores earlier outputs. */
    static TaskInputs prepare(
            AgentCommand command,
            BlobStore store,
            Path workDir,
            Path cacheDir,
            int host,
            Map<String, String> environment)
            throws IOException, AgentFailure {
        TaskInputs p = new TaskInputs();
        Files.createDirectories(workDir);
        ArtifactFetcher fetcher = new ArtifactFetcher(store, cacheDir);
        p.payload = fetcher.fetchVerified(
                JobLayout.payload(command.jobId()), command.payloadSha256(), workDir.resolve("payload.bin"), "payload");
        p.classpath = new ArrayList<>();
        for (String sha : command.classpathSha256()) {
            p.classpath.add(fetcher.classpathEntry(sha));
        }
        try (InputStream in = Files.newInputStream(p.payload)) {
            p.header = PayloadFile.readHeader(in);
        } catch (IOException e) {
            throw new AgentFailure(FailurePhase.DESERIALIZE, "payload header unreadable: " + e.getMessage(), e);
        }
        p.dataDir = cacheDir.resolveSibling("data");
        if (!p.header.data().isEmpty()) {
            DataMaterializer data = new DataMaterializer(store, p.dataDir, environment);
            for (PayloadFile.DataRef ref : p.header.data()) {
                try {
                    data.materialize(ref);
                } catch (DataMaterializer.DataException e) {
                    throw new AgentFailure(FailurePhase.DATA, e.getMessage());
                }
            }
        }
        p.outputDir = workDir.resolve("outputs");
        Files.createDirectories(p.outputDir);
        String outputPrefix = JobLayout.hostOutputs(
                p.header.outputPrefix() != null ? p.header.outputPrefix() : JobLayout.outputs(command.jobId()), host);
        p.outputs = new OutputSync(p.outputDir, store, outputPrefix);
        try {
            p.outputs.restore();
        } catch (IOException | RuntimeException e) {
            throw new AgentFailure(
                    FailurePhase.DOWNLOAD, "cannot restore earlier outputs from " + outputPrefix + ": " + e, e);
        }
        p.captured = CapturedEnvironment.resolve(p.header, environment);
        VolumeMounts.mount(p.header.volumes(), p.dataDir);
        p.outcomeDir = workDir.resolve("outcome");
        Files.createDirectories(p.outcomeDir);
        return p;
    }
}
