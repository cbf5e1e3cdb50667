package dev.kinetic.store.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.Cleanup;
import dev.kinetic.JobHandle;
import dev.kinetic.KineticSession;
import dev.kinetic.internal.log.StoreLog;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.BlobStores;
import dev.kinetic.testing.TestKinetic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that prints continuously for 20 s, with its log going to a real S3 server through a proxy that records every
 * object write: no key is written more than once per 2 s (GCS refuses more than about one write per second to an
 * object name), the log costs about two bytes written per byte logged, and a follower reading the store still sees
 * lines within about 2 s of their printing.
 */
@Tag("slow")
class ChattyJobLogWritesTest {
    private static final long TWO_SECONDS = 2_000_000_000L;
    private static S3MockServer s3;
    private static ConditionalWriteProxy proxy;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        s3 = S3MockServer.start();
        proxy = ConditionalWriteProxy.start(s3.endpoint());
    }

    @AfterAll
    static void stop() {
        proxy.close();
        s3.close();
    }

    /** Prints a numbered line with its time every 20 ms for {@code seconds}. */
    static int chatter(int seconds) throws InterruptedException {
        long end = System.currentTimeMillis() + seconds * 1000L;
        int n = 0;
        while (System.currentTimeMillis() < end) {
            System.out.println("line " + n++ + " at " + System.currentTimeMillis() + " " + "x".repeat(80));
            Thread.sleep(20);
        }
        return n;
    }

    @Test
    void aTwentySecondChattyJobWritesNoKeyTwiceWithinTwoSeconds() throws Exception {
        TestKinetic kinetic = new TestKinetic(tmp);
        kinetic.environment().putAll(s3.environment());
        kinetic.environment().put("KINETIC_S3_ENDPOINT", proxy.endpoint().toString());
        kinetic.environment().put("KINETIC_STORE", s3.storeUri("chatty").toString());
        List<Long> delays = new CopyOnWriteArrayList<>();
        try (KineticSession session = kinetic.session()) {
            JobHandle<Integer> job = session.remote(() -> chatter(20)).runAsync();
            String logPath = "/" + s3.bucket() + "/chatty/jobs/" + job.id() + "/log/";
            // Followed from the store, as a machine other than the job's sees it (followLogs on this machine would
            // read the local backend's live log instead).
            try (BlobStore store = BlobStores.open(s3.storeUri("chatty"), s3.environment())) {
                new StoreLog(store, JobId.of(job.id()))
                        .follow(
                                line -> {
                                    if (line.startsWith("line ")) {
                                        long printed = Long.parseLong(line.split(" ")[3]);
                                        delays.add(System.currentTimeMillis() - printed);
                                    }
                                },
                                () -> job.status().isTerminal(),
                                500);
            }
            int lines = job.result(Duration.ofMinutes(2), Cleanup.NONE);
            long logged = 0;
            for (String line : job.logs()) {
                logged += line.length() + 1;
            }

            Map<String, List<Long>> byKey = new HashMap<>();
            long written = 0;
            for (ConditionalWriteProxy.Write w : proxy.writes()) {
                if (w.path().startsWith(logPath)) {
                    byKey.computeIfAbsent(w.path(), k -> new ArrayList<>()).add(w.at());
                    written += w.bytes();
                }
            }
            double maxPerKeyPerSecond = 0;
            for (Map.Entry<String, List<Long>> e : byKey.entrySet()) {
                List<Long> at = e.getValue();
                for (int i = 1; i < at.size(); i++) {
                    assertThat(at.get(i) - at.get(i - 1))
                            .as("%s written twice within 2 s", e.getKey())
                            .isGreaterThanOrEqualTo(TWO_SECONDS);
                }
                maxPerKeyPerSecond = Math.max(maxPerKeyPerSecond, at.size() / 20.0);
            }
            double bytesPerMiB = (double) written / logged;
            delays.sort(null);
            long p95 = delays.get((int) (delays.size() * 0.95));
            System.out.printf(
                    "chatty job: %d lines, %d bytes logged, %d log keys, %d log writes, max %.2f writes "
                            + "per key per second, %.2f bytes written per byte logged, follow delay p95 %d ms%n",
                    lines,
                    logged,
                    byKey.size(),
                    byKey.values().stream().mapToInt(List::size).sum(),
                    maxPerKeyPerSecond,
                    bytesPerMiB,
                    p95);
            assertThat(lines).isGreaterThan(500);
            assertThat(bytesPerMiB)
                    .as("bytes written to the store per byte of log")
                    .isLessThan(2.5);
            assertThat(p95).as("95th percentile of print-to-follow delay, ms").isLessThan(3_000);
            job.cleanup(Cleanup.ALL);
        }
    }
}
