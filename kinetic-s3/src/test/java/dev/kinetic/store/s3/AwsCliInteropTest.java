package dev.kinetic.store.s3;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.Data;
import dev.kinetic.JobHandle;
import dev.kinetic.KineticSession;
import dev.kinetic.spi.Hashing;
import dev.kinetic.testing.TestKinetic;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Kinetic stores in S3 is read and written by a client nobody here wrote: the {@code aws} command line
 * (Debian's {@code awscli}, which {@code .ci/run} installs), against S3Mock on 127.0.0.1. A user lists and downloads
 * a job's outputs with it, and uploads a file with it that a job then reads through {@code Data.of(URI)}.
 *
 * <p>Skipped, with the reason, where {@code aws} is not installed; {@code KINETIC_REQUIRE_AWS_CLI=1} (set by
 * {@code .ci/run}) turns the skip into a failure, so CI never skips it.
 */
class AwsCliInteropTest {
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static S3MockServer s3;
    /** What aws talks to: S3Mock, with its 100-continue answer as real S3 words it (see ContinueReasonRelay). */
    private static ContinueReasonRelay relay;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startS3() throws IOException {
        s3 = S3MockServer.start();
        relay = ContinueReasonRelay.start(s3.endpoint());
    }

    @AfterAll
    static void stopS3() {
        if (relay != null) {
            relay.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @Test
    void awsListsAndDownloadsAJobsOutputsByteForByte() throws Exception {
        AwsCli aws = AwsCli.find(relay.endpoint(), tmp);
        TestKinetic kinetic = kinetic("interop-out");
        Map<String, byte[]> written = new TreeMap<>(Map.of(
                "model.bin", random(3 * 1024 * 1024 + 5, 42),
                "metrics/loss.txt", "0.25\n0.125\n".getBytes(UTF_8),
                "notes/run 1+ü.txt", "a name with a space, a plus and an umlaut".getBytes(UTF_8)));
        String id;
        try (KineticSession session = kinetic.session()) {
            JobHandle<Integer> job = session.remote(() -> {
                        Path out = Path.of(System.getenv("KINETIC_OUTPUT_DIR"));
                        Files.write(
                                Files.createDirectories(out.resolve("metrics")).resolve("loss.txt"),
                                "0.25\n0.125\n".getBytes(UTF_8));
                        Files.write(
                                Files.createDirectories(out.resolve("notes")).resolve("run 1+ü.txt"),
                                "a name with a space, a plus and an umlaut".getBytes(UTF_8));
                        Files.write(out.resolve("model.bin"), random(3 * 1024 * 1024 + 5, 42));
                        return 3;
                    })
                    .runAsync();
            id = job.id();
            assertThat(job.result(WAIT)).isEqualTo(3);
        }
        String outputs = "s3://" + S3MockServer.BUCKET + "/interop-out/outputs/" + id + "/";

        Map<String, Long> listed = new TreeMap<>();
        for (String line : aws.run("s3", "ls", "--recursive", outputs).split("\n")) {
            // 2026-11-30 23:01:02    3145733 interop-out/outputs/<id>/model.bin
            String[] fields = line.trim().split("\\s+", 4);
            listed.put(fields[3].substring(("interop-out/outputs/" + id + "/").length()), Long.parseLong(fields[2]));
        }
        Map<String, Long> expectedSizes = new TreeMap<>();
        written.forEach((name, bytes) -> expectedSizes.put(name, (long) bytes.length));
        assertThat(listed).isEqualTo(expectedSizes);

        Path download = tmp.resolve("download");
        aws.run("s3", "cp", "--recursive", "--only-show-errors", outputs, download.toString());
        for (Map.Entry<String, byte[]> file : written.entrySet()) {
            assertThat(download.resolve(file.getKey())).as(file.getKey()).hasBinaryContent(file.getValue());
        }
        try (Stream<Path> files = Files.walk(download)) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(written.size());
        }
    }

    @Test
    void aFileThatAwsUploadedIsAJobsDataAsOneObject() throws Exception {
        AwsCli aws = AwsCli.find(relay.endpoint(), tmp);
        Path blob = tmp.resolve("blob.bin");
        Files.write(blob, random(1024 * 1024 + 17, 7));
        Path csv = tmp.resolve("my data.csv");
        Files.writeString(csv, "x,y\n1,2\n");
        String external = "s3://" + S3MockServer.BUCKET + "/external/";
        aws.run("s3", "cp", "--only-show-errors", blob.toString(), external + "blob.bin");
        aws.run("s3", "cp", "--only-show-errors", csv.toString(), external + "my data.csv");

        TestKinetic kinetic = kinetic("interop-in");
        try (KineticSession session = kinetic.session()) {
            var job = session.remote((List<Data> data) -> {
                List<String> seen = new ArrayList<>();
                for (Data d : data) {
                    seen.add(d.path().getFileName() + " " + Files.isRegularFile(d.path()) + " "
                            + Hashing.sha256(d.path()));
                }
                return seen;
            });
            List<Data> data = List.of(
                    Data.of(URI.create(external + "blob.bin")), Data.of(URI.create(external + "my%20data.csv")));

            assertThat(job.runAsync(data).result(WAIT))
                    .containsExactly(
                            "blob.bin true " + Hashing.sha256(blob), "my data.csv true " + Hashing.sha256(csv));
        }
    }

    private TestKinetic kinetic(String prefix) throws IOException {
        TestKinetic kinetic = new TestKinetic(tmp);
        kinetic.environment().putAll(s3.environment());
        kinetic.environment().put("KINETIC_STORE", s3.storeUri(prefix).toString());
        return kinetic;
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The {@code aws} command, pointed at the test's S3 server with its own config and dummy credentials. */
    private record AwsCli(Path executable, Map<String, String> environment, URI endpoint) {
        static AwsCli find(URI endpoint, Path tmp) throws IOException {
            Path executable = locate();
            if (executable == null) {
                String reason = "the aws command line is not installed (Debian: apt-get install awscli; .ci/run does)";
                if (System.getenv("KINETIC_REQUIRE_AWS_CLI") != null) {
                    throw new AssertionError(reason + ", and KINETIC_REQUIRE_AWS_CLI is set");
                }
                org.junit.jupiter.api.Assumptions.abort(reason);
            }
            // Path-style addressing: the endpoint is an IP address, so bucket.127.0.0.1 cannot resolve.
            Path config =
                    Files.writeString(tmp.resolve("aws-config"), "[default]\ns3 =\n    addressing_style = path\n");
            Map<String, String> env = Map.of(
                    "PATH",
                    System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                    "HOME",
                    tmp.toString(),
                    "LC_ALL",
                    "C.UTF-8",
                    "AWS_CONFIG_FILE",
                    config.toString(),
                    "AWS_SHARED_CREDENTIALS_FILE",
                    tmp.resolve("no-credentials-file").toString(),
                    "AWS_ACCESS_KEY_ID",
                    S3MockServer.ACCESS_KEY_ID,
                    "AWS_SECRET_ACCESS_KEY",
                    S3MockServer.SECRET_ACCESS_KEY,
                    "AWS_DEFAULT_REGION",
                    "us-east-1",
                    "AWS_EC2_METADATA_DISABLED",
                    "true",
                    "AWS_PAGER",
                    "");
            return new AwsCli(executable, env, endpoint);
        }

        /** Debian's /usr/bin/aws first (what CI installs), else the first {@code aws} on PATH. */
        private static Path locate() {
            List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin/aws")));
            for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, "aws"));
                }
            }
            for (Path candidate : candidates) {
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
            return null;
        }

        /** Runs {@code aws --endpoint-url <server> <args>}; returns its standard output, failing on a non-zero exit. */
        String run(String... args) throws IOException, InterruptedException {
            List<String> command =
                    new ArrayList<>(List.of(executable.toString(), "--endpoint-url", endpoint.toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().clear();
            builder.environment().putAll(environment);
            Path out = Files.createTempFile("aws-", ".out");
            Path err = Files.createTempFile("aws-", ".err");
            Process process = builder.redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("aws " + String.join(" ", args) + " did not finish within 2 minutes");
            }
            String stdout = Files.readString(out);
            String stderr = Files.readString(err);
            Files.delete(out);
            Files.delete(err);
            assertThat(process.exitValue())
                    .as("aws %s\nstdout: %s\nstderr: %s", String.join(" ", args), stdout, stderr)
                    .isZero();
            return stdout;
        }
    }
}
