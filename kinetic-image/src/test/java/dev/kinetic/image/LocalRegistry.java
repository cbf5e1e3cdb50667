package dev.kinetic.image;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A real Docker registry (Debian's {@code docker-registry}, distribution 2.8) on 127.0.0.1 for one test class:
 * started on a free port with its own storage under {@code dir}, optionally with htpasswd auth, stopped by
 * {@link #close()}. Tests are skipped, with the reason, when the binary is not installed.
 */
public final class LocalRegistry implements AutoCloseable {
    static final Path BINARY = Path.of(System.getProperty("kinetic.test.registry", "/usr/bin/docker-registry"));
    /** {@code htpasswd -Bbn kinetic secret}: a fixed bcrypt line, so the tests need no htpasswd tool. */
    static final String HTPASSWD = "kinetic:$2y$05$3b1VjcJmCqFbUzdljmD5..N29bjaSmLkE406POdLtsvJD7UcAdqvi";

    private final Process process;
    private final Path log;
    private final String address;

    private LocalRegistry(Process process, Path log, String address) {
        this.process = process;
        this.log = log;
        this.address = address;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Skips the current test, with the reason, when the registry is not installed. Call it per test (from
     * {@code @BeforeEach}): an assumption failing in {@code @BeforeAll} makes Surefire report no tests at all.
     */
    public static void assumeInstalled() {
        assumeTrue(
                installed(),
                "no registry at " + BINARY + ": install Debian's docker-registry "
                        + "package (apt-get install -y docker-registry) to run the tests against a real registry");
    }

    public static LocalRegistry start(Path dir, boolean withAuth) throws IOException, InterruptedException {
        assumeInstalled();
        Files.createDirectories(dir.resolve("data"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String address = "127.0.0.1:" + port;
        StringBuilder config = new StringBuilder()
                .append("version: 0.1\n")
                .append("log: {level: info}\n")
                .append("storage:\n  filesystem: {rootdirectory: ")
                .append(dir.resolve("data"))
                .append("}\n")
                .append("http: {addr: ")
                .append(address)
                .append("}\n");
        if (withAuth) {
            Files.writeString(dir.resolve("htpasswd"), HTPASSWD + "\n");
            config.append("auth:\n  htpasswd: {realm: kinetic-test, path: ")
                    .append(dir.resolve("htpasswd"))
                    .append("}\n");
        }
        Files.writeString(dir.resolve("config.yml"), config);
        Path log = dir.resolve("registry.log");
        Process p = new ProcessBuilder(
                        BINARY.toString(), "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        LocalRegistry registry = new LocalRegistry(p, log, address);
        registry.awaitReady();
        return registry;
    }

    /** {@code 127.0.0.1:PORT}. */
    public String address() {
        return address;
    }

    /** How many requests with this method went to a path containing {@code pathPart}, from the access log. */
    public long requests(String method, String pathPart) throws IOException {
        Pattern line = Pattern.compile("\"" + method + " [^\"]*" + Pattern.quote(pathPart));
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                .filter(l -> line.matcher(l).find())
                .count();
    }

    /**
     * Pushes a small base image FROM scratch: one layer with a file, {@code PATH} set and a {@code CMD} that a
     * runtime image must not inherit. (No real JRE: these tests never run the image.)
     */
    public String pushBase(String repository, Path work, String content) throws Exception {
        Path marker = Files.createDirectories(work).resolve("base.txt");
        Files.writeString(marker, content);
        FileEntriesLayer layer = FileEntriesLayer.builder()
                .setName("base")
                .addEntry(marker, AbsoluteUnixPath.get("/etc/kinetic-test-base.txt"))
                .build();
        String reference = address + "/" + repository + ":1";
        Jib.fromScratch()
                .addFileEntriesLayer(layer)
                .addEnvironmentVariable("PATH", "/opt/jre/bin:/usr/bin:/bin")
                .setProgramArguments("jshell")
                .containerize(Containerizer.to(RegistryImage.named(reference))
                        .setAllowInsecureRegistries(true)
                        .setBaseImageLayersCache(work.resolve("cache-base"))
                        .setApplicationLayersCache(work.resolve("cache-app")));
        return reference;
    }

    private void awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "the registry exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                HttpURLConnection c = (HttpURLConnection)
                        URI.create("http://" + address + "/v2/").toURL().openConnection();
                c.setConnectTimeout(500);
                int code = c.getResponseCode();
                c.disconnect();
                if (code == 200 || code == 401) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(
                "the registry did not answer on " + address + " within 20 s: " + Files.readString(log));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
