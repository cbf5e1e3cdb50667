package dev.kinetic.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.internal.store.DirectoryBlobStore;
import dev.kinetic.spi.JobId;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.store.BlobInfo;
import dev.kinetic.spi.store.BlobStore;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTest {
    private static final JobId J = JobId.of("j");

    @TempDir
    Path dir;

    @Test
    void segmentsCloseAtLineEndsAndTailSpansThem() {
        DirectoryBlobStore store = new DirectoryBlobStore(dir);
        StoreLogWriter writer = new StoreLogWriter(store, J);
        int lines = writeLines(writer, 0, 2L * StoreLogWriter.SEGMENT_BYTES + 1000);
        writer.close();
        List<String> keys = keys(store);
        assertThat(keys).containsExactly("jobs/j/log/00000000", "jobs/j/log/00000001", "jobs/j/log/00000002");
        StoreLog log = new StoreLog(store, J);
        List<String> tail = log.tail(3);
        assertThat(tail).hasSize(3);
        assertThat(tail.get(2)).startsWith("line " + (lines - 1) + " ");
        assertThat(log.all()).hasSize(lines);
        List<String> followed = new ArrayList<>();
        log.follow(followed::add, () -> true, 10);
        assertThat(followed).isEqualTo(log.all());
    }

    @Test
    void tailWithoutTrailingNewlineAndEmptyLog() {
        DirectoryBlobStore store = new DirectoryBlobStore(dir);
        assertThat(new StoreLog(store, JobId.of("none")).tail(5)).isEmpty();
        StoreLogWriter writer = new StoreLogWriter(store, JobId.of("k"));
        byte[] text = "a\r\nb\nc".getBytes(StandardCharsets.UTF_8);
        writer.write(text, 0, text.length);
        writer.flush();
        assertThat(new StoreLog(store, JobId.of("k")).tail(2)).containsExactly("b", "c");
        assertThat(new StoreLog(store, JobId.of("k")).tail(10)).containsExactly("a", "b", "c");
        writer.close();
        assertThat(new StoreLog(store, JobId.of("k")).tail(10)).containsExactly("a", "b", "c");
    }

    @Test
    void everyFlushWritesANewKeyOnceAndOnlyTheNewBytes() {
        Counting counting = new Counting(new DirectoryBlobStore(dir));
        StoreLogWriter writer = new StoreLogWriter(counting.store, J);
        long logged = 0;
        for (int flush = 0; flush < 20; flush++) {
            byte[] line = ("step " + flush + " loss=0.5\n").getBytes(StandardCharsets.UTF_8);
            writer.write(line, 0, line.length);
            logged += line.length;
            writer.flush();
            writer.flush(); // nothing new: nothing written
        }
        writer.close();
        assertThat(counting.writesPerKey.values()).as("no key written twice").allMatch(n -> n.get() == 1);
        assertThat(counting.bytes.get())
                .as("chunks once, then the closed segment once")
                .isEqualTo(2 * logged);
        assertThat(keys(counting.store)).containsExactly("jobs/j/log/00000000");
        assertThat(new StoreLog(counting.store, J).all()).hasSize(20).startsWith("step 0 loss=0.5");
    }

    @Test
    void anOpenSegmentIsReadFromItsChunksAndAFollowerCarriesOnIntoTheClosedSegment() throws Exception {
        DirectoryBlobStore store = new DirectoryBlobStore(dir);
        StoreLogWriter writer = new StoreLogWriter(store, J);
        writeLines(writer, 0, 3000);
        writer.flush();
        writeLines(writer, 1000, 3000);
        writer.flush();
        assertThat(keys(store)).allMatch(k -> k.startsWith("jobs/j/log/00000000.chunks/"));
        StoreLog log = new StoreLog(store, J);
        assertThat(log.tail(1)).singleElement().asString().startsWith("line 10");
        List<String> followed = new CopyOnWriteArrayList<>();
        AtomicInteger polls = new AtomicInteger();
        Thread follower = new Thread(() -> log.follow(followed::add, () -> polls.incrementAndGet() > 40, 20));
        follower.start();
        while (followed.size() < log.all().size()) {
            Thread.sleep(5);
        }
        writer.close(); // the chunks become segment 0 while the follower reads
        byte[] more = "after close\n".getBytes(StandardCharsets.UTF_8);
        writer.write(more, 0, more.length);
        writer.close();
        follower.join(10_000);
        assertThat(followed).isEqualTo(log.all()).endsWith("after close").doesNotHaveDuplicates();
        assertThat(keys(store)).containsExactly("jobs/j/log/00000000", "jobs/j/log/00000001");
    }

    @Test
    void aNewWriterClosesWhatACrashedOneLeftOpenAndContinuesAfterIt() {
        DirectoryBlobStore store = new DirectoryBlobStore(dir);
        StoreLogWriter crashed = new StoreLogWriter(store, J);
        byte[] first = "first attempt\n".getBytes(StandardCharsets.UTF_8);
        crashed.write(first, 0, first.length);
        crashed.flush(); // and never closed
        StoreLogWriter next = new StoreLogWriter(store, J);
        byte[] second = "second attempt\n".getBytes(StandardCharsets.UTF_8);
        next.write(second, 0, second.length);
        next.close();
        assertThat(keys(store)).containsExactly("jobs/j/log/00000000", "jobs/j/log/00000001");
        assertThat(new StoreLog(store, J).all()).containsExactly("first attempt", "second attempt");
    }

    @Test
    void theEndOfALogIsFoundWithExistenceChecksNotAListing() {
        Counting counting = new Counting(new DirectoryBlobStore(dir));
        for (int i = 0; i < 300; i++) {
            counting.store.put(JobLayout.logPrefix(J) + String.format("%08d", i), ("segment " + i + "\n").getBytes());
        }
        counting.calls.clear();
        assertThat(new StoreLog(counting.store, J).tail(2)).containsExactly("segment 298", "segment 299");
        assertThat(counting.calls.getOrDefault("exists", new AtomicInteger()).get())
                .as("without a hint: an exponential then a binary search")
                .isLessThanOrEqualTo(20);
        assertThat(counting.calls.getOrDefault("list", new AtomicInteger()).get())
                .as("the hints and the open segment's chunks are listed, not the log")
                .isEqualTo(2);

        StoreLogWriter writer = new StoreLogWriter(counting.store, J);
        byte[] line = "segment 300\n".getBytes(StandardCharsets.UTF_8);
        writer.write(line, 0, line.length);
        writer.close(); // notes segment 300 as the end
        counting.calls.clear();
        assertThat(new StoreLog(counting.store, J).tail(2)).containsExactly("segment 299", "segment 300");
        assertThat(counting.calls.getOrDefault("exists", new AtomicInteger()).get())
                .as("from the writer's hint: one check that nothing follows")
                .isEqualTo(1);
    }

    private static int writeLines(StoreLogWriter writer, int from, long bytes) {
        int lines = from;
        long written = 0;
        while (written < bytes) {
            byte[] line = ("line " + lines++ + " " + "x".repeat(200) + "\n").getBytes(StandardCharsets.UTF_8);
            writer.write(line, 0, line.length);
            written += line.length;
        }
        return lines;
    }

    /** The log's segments and chunks (not the writer's end hints). */
    private static List<String> keys(BlobStore store) {
        return store.list("jobs/").stream()
                .map(BlobInfo::key)
                .filter(k -> !k.contains("/log/end/"))
                .toList();
    }

    /** A store that counts its calls, writes per key and bytes written. */
    private static final class Counting {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> writesPerKey = new ConcurrentHashMap<>();
        final AtomicInteger bytes = new AtomicInteger();
        final BlobStore store;

        Counting(BlobStore target) {
            store = (BlobStore) Proxy.newProxyInstance(
                    BlobStore.class.getClassLoader(), new Class<?>[] {BlobStore.class}, (proxy, method, args) -> {
                        calls.computeIfAbsent(method.getName(), k -> new AtomicInteger())
                                .incrementAndGet();
                        if (method.getName().equals("put") && args[1] instanceof byte[] data) {
                            writesPerKey
                                    .computeIfAbsent((String) args[0], k -> new AtomicInteger())
                                    .incrementAndGet();
                            bytes.addAndGet(data.length);
                        }
                        try {
                            return method.invoke(target, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
