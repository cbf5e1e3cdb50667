package dev.kinetic.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.kinetic.Cleanup;
import dev.kinetic.Data;
import dev.kinetic.JobFailedException;
import dev.kinetic.JobHandle;
import dev.kinetic.JobInfo;
import dev.kinetic.JobNotFoundException;
import dev.kinetic.JobStatus;
import dev.kinetic.KineticException;
import dev.kinetic.KineticSession;
import dev.kinetic.KineticSession.SubmitStep;
import dev.kinetic.internal.log.StoreLog;
import dev.kinetic.spi.Hashing;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.BlobStores;
import dev.kinetic.spi.store.TestData;
import dev.kinetic.spi.store.TransferListener;
import dev.kinetic.testing.TestKinetic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The S3 store server stops in the middle of a job's life, at the job level (the store level is
 * {@link S3UploadInterruptionTest}): while a submission uploads, while the job ends and its result is written, and
 * while a reader asks for status and result. Each time the error is clear and names the store, nothing half-written is
 * visible, and once the server is back the same thing succeeds.
 *
 * <p>Real jobs on the local backend (detached agent and task processes) against S3Mock on 127.0.0.1. For the readers'
 * case S3Mock itself is stopped and restarted. Elsewhere an {@link OutageProxy} in front of it makes the endpoint go
 * away and come back at a chosen instant (to the byte for uploads, to the second for the agent's retry window, which
 * is shorter than an S3Mock restart), which is all a client can see of a server that stops; it also keeps the class
 * within about a minute, as each restart of S3Mock costs 7 to 10 s here.
 *
 * <p>Three of these cases found bugs, now fixed: a result lost to a short outage (the agent now retries result and
 * outcome for a minute), a failed submission's record left behind (now removed, at once or once the store answers),
 * and store errors that did not say what to do (submit now says to check the store and submit again).
 */
@Tag("faults")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class S3OutageJobTest {
    private static final String PREFIX = "outage";
    private static final Duration GENEROUS = Duration.ofMinutes(2);
    /** How long the endpoint stays away after the function returned, in the mid-result case. */
    private static final Duration OUTAGE_AFTER_RETURN = Duration.ofMillis(3500);
    /** A message that says what to do about an unreachable store, in any of the product's usual phrasings. */
    private static final Pattern SAYS_WHAT_TO_DO = Pattern.compile(
            "(?is).*\\b(retry|try again|submit again|check that|check the|is reachable|is running|once .* back)\\b.*");

    private static S3MockServer s3;
    private static OutageProxy proxy;

    /** One Kinetic home for the class, so later jobs reuse the classpath hashes and the agents' artifact cache. */
    @TempDir
    static Path shared;
    /** This test's own files. */
    private Path tmp;

    @BeforeAll
    static void startS3() {
        s3 = S3MockServer.start();
        proxy = OutageProxy.start(s3.endpoint());
    }

    @AfterAll
    static void stopS3() {
        if (proxy != null) {
            proxy.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @BeforeEach
    void ownDirectory() throws IOException {
        tmp = Files.createTempDirectory(shared, "case-");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 1. The server stops mid-upload
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * The endpoint goes away 4 MiB into the multipart upload of a job's 18 MiB {@code Data} file, which comes before
     * the job has an id or a record: submit fails naming the store, the endpoint and the key; once the endpoint is back
     * the store holds exactly what it held before, nothing more lists, no agent was started; the same submission then
     * succeeds and the data arrives intact.
     */
    @Test
    void endpointGoneWhileDataUploadsFailsTheSubmitCleanlyAndTheSameSubmitSucceedsOnceItIsBack() throws Exception {
        Path file = tmp.resolve("shard.bin");
        String fileSha = new TestData(18).writeFile(file, 18L << 20);
        String dataKey = JobLayout.cas(fileSha);
        AtomicBoolean wentDown = new AtomicBoolean();
        TestKinetic kinetic = kinetic(proxy.environment(s3));
        try (BlobStore store = BlobStores.open(s3.storeUri(PREFIX), s3.environment());
                KineticSession session = kinetic.session().onTransfer(new TransferListener() {
                    @Override
                    public void progressed(String key, long done, long total) {
                        if (key.equals(dataKey) && done > (4L << 20) && wentDown.compareAndSet(false, true)) {
                            proxy.down();
                        }
                    }
                })) {
            Set<String> keysBefore = keys(store);
            List<Path> agentsBefore = agentStateDirs(kinetic);
            Set<String> jobsBefore = jobIds(session);
            var job = session.remote((Data d) -> Hashing.sha256(d.path()));

            Throwable thrown;
            try {
                thrown = catchThrowable(() -> job.runAsync(Data.of(file)));
            } finally {
                proxy.up();
            }

            assertThat(wentDown).as("the endpoint went away mid-upload").isTrue();
            assertClearStoreError(thrown, proxy.endpoint().toString());
            assertThat(thrown).hasMessageContaining(dataKey);
            // The submission's lease could not be removed while the endpoint was down: it goes once it is back.
            long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!keys(store).equals(keysBefore) && System.nanoTime() < settle) {
                Thread.sleep(100);
            }
            assertThat(keys(store))
                    .as("keys in the store after the failed submit")
                    .isEqualTo(keysBefore);
            assertThat(jobIds(session))
                    .as("jobs listed after the failed submit")
                    .isEqualTo(jobsBefore);
            assertThat(agentStateDirs(kinetic))
                    .as("local agents (state directories)")
                    .isEqualTo(agentsBefore);

            // A retry once the endpoint is back: the same submission succeeds, and the data arrives intact.
            JobHandle<String> again = job.runAsync(Data.of(file));
            assertThat(again.result(GENEROUS)).isEqualTo(fileSha);

            assertThat(thrown.getMessage())
                    .as("the submit error says what to do")
                    .matches(SAYS_WHAT_TO_DO);
        }
    }

    /**
     * The endpoint goes away 4 MiB into the upload of a 12 MiB payload (a large argument), which is written after the
     * job's record: submit fails naming the store, the endpoint and the payload key; nothing lists as RUNNING; the
     * same submission succeeds once the endpoint is back. The record of the failed submission must not be left behind.
     */
    @Test
    void endpointGoneWhilePayloadUploadsFailsTheSubmitAndTheSameSubmitSucceedsOnceItIsBack() throws Exception {
        byte[] big = new TestData(12).slice(0, 12 << 20);
        String expected = Hashing.sha256(big);
        AtomicReference<String> failedId = new AtomicReference<>();
        AtomicBoolean wentDown = new AtomicBoolean();
        TestKinetic kinetic = kinetic(proxy.environment(s3));
        try (BlobStore store = BlobStores.open(s3.storeUri(PREFIX), s3.environment());
                KineticSession session = kinetic.session().onSubmitStep((step, id) -> {
                    // Packaged: classpath uploaded, nothing of the job written; next come the record, then the payload.
                    if (step == SubmitStep.PACKAGED && failedId.compareAndSet(null, id)) {
                        proxy.afterUpstreamBytes(4L << 20, () -> {
                            wentDown.set(true);
                            proxy.down();
                        });
                    }
                })) {
            var job = session.remote((byte[] bytes) -> Hashing.sha256(bytes));

            Throwable thrown;
            try {
                thrown = catchThrowable(() -> job.runAsync(big));
            } finally {
                proxy.up();
            }

            assertThat(wentDown).as("the endpoint went away mid-upload").isTrue();
            String id = failedId.get();
            assertClearStoreError(thrown, proxy.endpoint().toString());
            assertThat(thrown).hasMessageContaining(JobLayout.payload(JobId.of(id)));
            assertThat(store.exists(JobLayout.payload(JobId.of(id))))
                    .as("a payload object of the failed submit")
                    .isFalse();
            assertThat(session.listJobs())
                    .filteredOn(j -> j.id().equals(id))
                    .as("the failed submission never reads RUNNING")
                    .allSatisfy(j -> assertThat(j.status()).isNotEqualTo(JobStatus.RUNNING));
            assertThat(session.listJobs())
                    .filteredOn(j -> j.status() == JobStatus.RUNNING)
                    .isEmpty();

            // A retry once the endpoint is back: the same submission succeeds with the right result.
            JobHandle<String> again = job.runAsync(big);
            assertThat(again.id()).isNotEqualTo(id);
            assertThat(again.result(GENEROUS)).isEqualTo(expected);

            String listed = session.listJobs().stream()
                    .filter(j -> j.id().equals(id))
                    .map(j -> j.status() + " (" + j.reason() + ")")
                    .findFirst()
                    .orElse("not listed");
            assertThat(keys(store))
                    .filteredOn(k -> k.startsWith(JobLayout.jobPrefix(JobId.of(id))))
                    .as("keys of the failed submission once the store is back (it lists as %s)", listed)
                    .isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2. The server stops while the job ends and its result is written
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * The endpoint goes away while the job runs, the function returns while it is away, and it comes back 3.5 s after
     * that: longer than the S3 client's own retries (4 attempts, ~1.4 s), well within the agent's outcome retry window
     * (5 attempts, 0.5 s x attempt apart). Meanwhile {@code result()} fails clearly. Afterwards the job is never SUCCEEDED without its value: it is SUCCEEDED with 42, or FAILED with a reason
     * naming the store; a resubmission succeeds. The agent should ride out an outage this short.
     */
    @Test
    void endpointGoneWhileTheJobEndsNeverLeavesAHalfWrittenOutcome() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("signals"));
        TestKinetic kinetic = kinetic(proxy.environment(s3));
        try (KineticSession session = kinetic.session()) {
            String signals = dir.toString();
            JobHandle<Integer> job =
                    session.remote(() -> waitForGo(signals, 42)).runAsync();
            awaitRunning(job);

            proxy.down();
            Throwable whileDown;
            try {
                drop(dir, "go", "");
                await(() -> Files.exists(dir.resolve("returned")), "the function returned");
                long returnedAt = System.nanoTime();
                // A reader during the outage gets a clear error, not a wait and not a raw SDK exception.
                whileDown = catchThrowable(() -> job.result(Duration.ofSeconds(30), Cleanup.NONE));
                long left =
                        OUTAGE_AFTER_RETURN.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - returnedAt);
                Thread.sleep(Math.max(0, left));
            } finally {
                proxy.up();
            }
            assertClearStoreError(whileDown, proxy.endpoint().toString());

            JobInfo ended = awaitTerminal(job);
            String agentLog = agentLog(kinetic, job.id());
            assertThat(ended.status())
                    .as("status after the outage; agent log:\n" + agentLog)
                    .isIn(JobStatus.SUCCEEDED, JobStatus.FAILED);
            if (ended.status() == JobStatus.SUCCEEDED) {
                assertThat(job.result(GENEROUS, Cleanup.NONE))
                        .as("the value of a SUCCEEDED job")
                        .isEqualTo(42);
            } else {
                assertThat(ended.reason())
                        .as("why it failed: the reason must name the store it could not write to")
                        .contains(s3.storeUri(PREFIX).toString());
                Throwable failure = catchThrowable(() -> job.result(GENEROUS, Cleanup.NONE));
                assertThat(failure)
                        .isInstanceOf(JobFailedException.class)
                        .hasMessageContaining(job.id())
                        .hasMessageContaining(s3.storeUri(PREFIX).toString());
                // A retry once the server is back succeeds.
                JobHandle<Integer> again =
                        session.remote(() -> waitForGo(signals, 42)).runAsync();
                assertThat(again.result(GENEROUS)).isEqualTo(42);
            }

            assertThat(ended.status())
                    .as(
                            "a finished job survives a %s ms outage while its result is written (%s)",
                            OUTAGE_AFTER_RETURN.toMillis(), ended.reason())
                    .isEqualTo(JobStatus.SUCCEEDED);
        }
    }

    /**
     * S3Mock is stopped (SIGTERM) while a job runs: {@code status()}, {@code result(timeout)}, {@code listJobs()} and
     * {@code attach()} fail with a clear store error (never "not found", never a raw SDK exception); the job keeps
     * running and what it prints meanwhile is kept; after {@code restart()} the same calls succeed and the result is
     * correct.
     */
    @Test
    void readersDuringAnOutageGetAClearErrorAndTheResultOnceTheServerIsBack() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("signals"));
        TestKinetic kinetic = kinetic(s3.environment());
        try (KineticSession session = kinetic.session();
                BlobStore store = BlobStores.open(s3.storeUri(PREFIX), s3.environment())) {
            String signals = dir.toString();
            JobHandle<Integer> job =
                    session.remote(() -> waitForGo(signals, 42)).runAsync();
            awaitRunning(job);

            s3.stop();
            try {
                String endpoint = s3.endpoint().toString();
                assertClearStoreError(catchThrowable(job::status), endpoint);
                assertClearStoreError(catchThrowable(() -> job.result(Duration.ofSeconds(30))), endpoint);
                assertClearStoreError(catchThrowable(session::listJobs), endpoint);
                try (KineticSession other = kinetic.session()) {
                    Throwable attach = catchThrowable(() -> other.attach(job.id(), Integer.class));
                    assertClearStoreError(attach, endpoint);
                    assertThat(attach).hasMessageContaining(job.id()).isNotInstanceOf(JobNotFoundException.class);
                }
                // The task goes on printing while the store is down.
                drop(dir, "say", "printed while the store was down");
                await(
                        () -> liveLog(kinetic, job.id()).contains("printed while the store was down"),
                        "the line in the agent's live log");
            } finally {
                s3.restart();
            }

            assertThat(job.status()).as("the job survived the outage").isEqualTo(JobStatus.RUNNING);
            assertThat(session.listJobs())
                    .filteredOn(j -> j.id().equals(job.id()))
                    .extracting(JobInfo::status)
                    .containsExactly(JobStatus.RUNNING);
            try (KineticSession other = kinetic.session()) {
                assertThat(other.attach(job.id(), Integer.class).status()).isEqualTo(JobStatus.RUNNING);
            }
            drop(dir, "go", "");
            assertThat(job.result(GENEROUS, Cleanup.NONE)).isEqualTo(42);
            assertThat(new StoreLog(store, JobId.of(job.id())).all())
                    .as("the stored log")
                    .contains("task started", "printed while the store was down", "task returning 42");
            job.cleanup(Cleanup.ALL);
            assertThat(job.status()).isEqualTo(JobStatus.NOT_FOUND);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** What the jobs run: prints, echoes the {@code say} file once, and returns {@code value} once {@code go} exists. */
    static int waitForGo(String dir, int value) throws Exception {
        Path d = Path.of(dir);
        System.out.println("task started");
        boolean said = false;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!Files.exists(d.resolve("go"))) {
            if (!said && Files.exists(d.resolve("say"))) {
                System.out.println(Files.readString(d.resolve("say")));
                said = true;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no go within 3 minutes");
            }
            Thread.sleep(20);
        }
        System.out.println("task returning " + value);
        Files.writeString(d.resolve("returned"), "");
        return value;
    }

    /** A clear store error: a KineticException (not an SDK one) naming the store and the endpoint, not the secret. */
    private static void assertClearStoreError(Throwable thrown, String endpoint) {
        assertThat(thrown)
                .as("the error")
                .isNotNull()
                .isInstanceOf(KineticException.class)
                .isNotInstanceOf(SdkException.class)
                .hasMessageContaining(s3.storeUri(PREFIX).toString())
                .hasMessageContaining(endpoint);
        assertThat(thrown.getMessage()).doesNotContain(S3MockServer.SECRET_ACCESS_KEY);
    }

    private static TestKinetic kinetic(Map<String, String> storeEnvironment) throws IOException {
        TestKinetic kinetic = new TestKinetic(shared);
        kinetic.environment().putAll(storeEnvironment);
        kinetic.environment().put("KINETIC_STORE", s3.storeUri(PREFIX).toString());
        return kinetic;
    }

    private static void awaitRunning(JobHandle<?> job) throws InterruptedException {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        JobStatus status = job.status();
        while (status != JobStatus.RUNNING && !status.isTerminal() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            status = job.status();
        }
        assertThat(status).as("job %s before the outage", job.id()).isEqualTo(JobStatus.RUNNING);
    }

    private static JobInfo awaitTerminal(JobHandle<?> job) throws InterruptedException {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        JobInfo info = job.describe();
        while (!info.status().isTerminal() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            info = job.describe();
        }
        return info;
    }

    private static void await(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        while (!condition.get()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Writes a signal file for the task atomically. */
    private static void drop(Path dir, String name, String content) throws IOException {
        Path part = dir.resolve(name + ".part");
        Files.writeString(part, content);
        Files.move(part, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static Set<String> keys(BlobStore store) {
        return store.list("").stream().map(BlobInfo::key).collect(Collectors.toSet());
    }

    private static Set<String> jobIds(KineticSession session) {
        return session.listJobs().stream().map(JobInfo::id).collect(Collectors.toSet());
    }

    /** The local backend's per-job state directories ({@code <home>/local/<id>}): one per agent launched. */
    private static List<Path> agentStateDirs(TestKinetic kinetic) throws IOException {
        Path local = kinetic.home().resolve("local");
        if (!Files.isDirectory(local)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(local)) {
            return dirs.sorted().toList();
        }
    }

    private static String liveLog(TestKinetic kinetic, String id) {
        return read(kinetic.home().resolve("local").resolve(id).resolve("output.log"));
    }

    private static String agentLog(TestKinetic kinetic, String id) {
        return read(kinetic.home().resolve("local").resolve(id).resolve("agent.log"));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
