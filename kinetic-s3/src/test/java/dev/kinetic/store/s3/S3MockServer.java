package dev.kinetic.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real S3-compatible server for tests: Adobe S3Mock's standalone jar, run as a child process on 127.0.0.1 with a
 * bucket ready. Start it once per test class; it takes several seconds.
 *
 * <pre>{@code
 * static S3MockServer s3;
 *
 * @BeforeAll static void start() { s3 = S3MockServer.start(); }
 * @AfterAll static void stop() { s3.close(); }
 *
 * BlobStore store = BlobStores.open(s3.storeUri("my-test"), s3.environment());
 * }</pre>
 *
 * <p>Both of S3Mock's connectors listen on 127.0.0.1 only: the main one is switched from HTTPS to plain HTTP and
 * given {@code server.address}; the extra HTTP connector, which S3Mock binds to all interfaces, is rebound by
 * {@link S3MockLoopbackConnector}, loaded into the server process.
 *
 * <p>{@link #kill()} or {@link #stop()} and then {@link #restart()} bring it back on the same port with the same
 * data, as after a crash. The jar is found through the {@code kinetic.s3mock.jar} system property (kinetic-s3's
 * build copies it into {@code target/s3mock/}), the {@code KINETIC_S3MOCK_JAR} variable, or the local Maven
 * repository.
 */
public final class S3MockServer implements AutoCloseable {
    /** The bucket created at start. */
    public static final String BUCKET = "kinetic-test";
    /** Any credentials work with S3Mock; these show up in error messages. */
    public static final String ACCESS_KEY_ID = "kinetic-test-key";

    public static final String SECRET_ACCESS_KEY = "kinetic-test-secret-do-not-print";
    private static final String S3MOCK_VERSION = "5.2.0";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

    private final Path jar;
    private final Path workDir;
    private final int port;
    private final int httpPort;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    /** Kills the server if the test JVM exits without {@link #close()}, e.g. when the build is interrupted. */
    private final Thread reaper = new Thread(
            () -> {
                if (process != null) {
                    process.destroyForcibly();
                }
            },
            "s3mock-reaper");

    private S3MockServer(Path jar, Path workDir, int port, int httpPort) {
        this.jar = jar;
        this.workDir = workDir;
        this.port = port;
        this.httpPort = httpPort;
    }

    /** Starts a server with an empty data directory and waits until it serves the bucket. */
    public static S3MockServer start() {
        try {
            Path workDir = Files.createTempDirectory("kinetic-s3mock-");
            S3MockServer server = new S3MockServer(locateJar(), workDir, freePort(), freePort());
            Runtime.getRuntime().addShutdownHook(server.reaper);
            server.launch();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare S3Mock: " + e.getMessage(), e);
        }
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String bucket() {
        return BUCKET;
    }

    /** {@code s3://kinetic-test}. */
    public URI storeUri() {
        return URI.create("s3://" + BUCKET);
    }

    /** {@code s3://kinetic-test/<prefix>}, so tests sharing the server stay apart. */
    public URI storeUri(String prefix) {
        return URI.create("s3://" + BUCKET + "/" + prefix);
    }

    /** Creates another bucket, e.g. one per test so that large tests do not slow down the others. */
    public void createBucket(String name) {
        HttpRequest put = HttpRequest.newBuilder(URI.create(endpoint() + "/" + name))
                .PUT(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(30))
                .build();
        try {
            int status = http.send(put, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) {
                throw new IllegalStateException("S3Mock answered " + status + " to creating bucket " + name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not create bucket " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The variables a Kinetic process needs to use this server: endpoint, credentials and region. */
    public Map<String, String> environment() {
        return Map.of(
                "KINETIC_S3_ENDPOINT",
                endpoint().toString(),
                "AWS_ACCESS_KEY_ID",
                ACCESS_KEY_ID,
                "AWS_SECRET_ACCESS_KEY",
                SECRET_ACCESS_KEY,
                "AWS_REGION",
                "us-east-1");
    }

    /** The port of S3Mock's second (plain HTTP) connector, which also answers S3 requests. */
    int httpPort() {
        return httpPort;
    }

    /** Where the server keeps its objects. */
    public Path dataDirectory() {
        return workDir.resolve("data");
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Kills the server at once (SIGKILL), as a crash would: open connections are reset. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            await(process);
        }
    }

    /** Stops the server gracefully (SIGTERM); its data is kept for {@link #restart()}. */
    public void stop() {
        if (process != null) {
            process.destroy();
            if (!await(process)) {
                kill();
            }
        }
    }

    /** Starts the server again on the same port with the same data, stopping it first if it runs. */
    public void restart() {
        stop();
        launch();
    }

    /**
     * Creates many objects quickly by writing them into the server's data directory while it is stopped, then
     * starts it again. S3Mock rewrites a bucket's whole key index on every write, so ten thousand PUTs take minutes;
     * this takes seconds. Each object is laid out like a template object that the server itself wrote, so the
     * format is S3Mock's own.
     *
     * @param bucket an existing bucket
     * @param objects object key (in the bucket) to content
     */
    public void seed(String bucket, Map<String, byte[]> objects) {
        try {
            new S3MockSeeder(this, bucket, dataDirectory().resolve(bucket)).seed(objects);
        } catch (IOException e) {
            throw new UncheckedIOException("could not seed S3Mock: " + e.getMessage(), e);
        }
    }

    /** Stops the server and deletes its data. */
    @Override
    public void close() {
        stop();
        Runtime.getRuntime().removeShutdownHook(reaper);
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }

    /** Starts the process on this server's ports and data, and waits until it serves the bucket. */
    void launch() {
        try {
            Path plugins = installLoopbackConnector();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // C1 only: the server starts much faster on a busy machine and is fast enough for tests
                    "-Xmx384m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-Dloader.path=" + plugins,
                    "-cp",
                    jar.toString(),
                    // PropertiesLauncher (unlike the jar's default JarLauncher) honours loader.path
                    "org.springframework.boot.loader.launch.PropertiesLauncher",
                    "--spring.main.sources=" + S3MockLoopbackConnector.class.getName(),
                    // S3Mock initializes beans lazily, and the connector customizer must run before the ports bind
                    "--spring.main.lazy-initialization=false",
                    "--spring.main.banner-mode=off",
                    "--logging.level.root=WARN",
                    "--server.ssl.enabled=false",
                    "--server.address=127.0.0.1",
                    "--server.port=" + port,
                    "--http.port=" + httpPort,
                    // The default (10 MB) would make Tomcat drop the connection when a large body is refused early.
                    "--server.tomcat.max-swallow-size=-1",
                    "--com.adobe.testing.s3mock.store.root=" + dataDirectory(),
                    "--com.adobe.testing.s3mock.store.retainFilesOnExit=true",
                    "--com.adobe.testing.s3mock.store.initialBuckets=" + BUCKET));
            Path log = workDir.resolve("s3mock.log");
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            awaitReady(log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start S3Mock from " + jar + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(Path log) {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        HttpRequest probe = HttpRequest.newBuilder(URI.create(endpoint() + "/" + BUCKET))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(5))
                .build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "S3Mock exited with " + process.exitValue() + " while starting:\n" + tail(log));
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for S3Mock", e);
            }
            sleep(100);
        }
        kill();
        throw new IllegalStateException(
                "S3Mock did not answer on " + endpoint() + " within " + STARTUP_TIMEOUT + ":\n" + tail(log));
    }

    /** Writes the connector customizer's class file where the S3Mock process's loader.path finds it. */
    private Path installLoopbackConnector() throws IOException {
        Path dir = workDir.resolve("plugins");
        String resource = S3MockLoopbackConnector.class.getName().replace('.', '/') + ".class";
        Path target = dir.resolve(resource);
        Files.createDirectories(target.getParent());
        try (InputStream in = S3MockServer.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("class file " + resource + " not found on the test classpath");
            }
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
    }

    private static Path locateJar() {
        String configured = System.getProperty("kinetic.s3mock.jar", System.getenv("KINETIC_S3MOCK_JAR"));
        if (configured != null && Files.isRegularFile(Path.of(configured))) {
            return Path.of(configured);
        }
        String repo = System.getProperty(
                "maven.repo.local",
                Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
        Path fromRepo = Path.of(
                repo, "com", "adobe", "testing", "s3mock", S3MOCK_VERSION, "s3mock-" + S3MOCK_VERSION + "-exec.jar");
        if (Files.isRegularFile(fromRepo)) {
            return fromRepo;
        }
        throw new IllegalStateException("S3Mock jar not found (looked at " + configured + " and " + fromRepo
                + "). Build kinetic-s3 once (mvn -pl kinetic-s3 test-compile copies it to target/s3mock/), or set "
                + "-Dkinetic.s3mock.jar or KINETIC_S3MOCK_JAR to com.adobe.testing:s3mock:" + S3MOCK_VERSION
                + ":jar:exec.");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean await(Process p) {
        try {
            return p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, java.nio.charset.StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
