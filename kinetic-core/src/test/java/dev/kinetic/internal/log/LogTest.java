package dev.kinetic.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.internal.store.DirectoryBlobStore;
import dev.kinetic.spi.JobId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTest {
    @TempDir
    Path dir;

    @Test
    void segmentsRollAtLineEndsAndTailSpansThem() {
        DirectoryBlobStore store = new DirectoryBlobStore(dir);
        StoreLogWriter writer = new StoreLogWriter(store, JobId.of("j"));
        int lines = 0;
        long bytes = 0;
        while (bytes < 2L * StoreLogWriter.SEGMENT_BYTES + 1000) {
            byte[] line = ("line " + lines++ + " " + "x".repeat(200) + "\n").getBytes(StandardCharsets.UTF_8);
            writer.write(line, 0, line.length);
            bytes += line.length;
        }
        writer.flush();
        StoreLog log = new StoreLog(store, JobId.of("j"));
        assertThat(log.segments()).hasSize(3);
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
    }
}
