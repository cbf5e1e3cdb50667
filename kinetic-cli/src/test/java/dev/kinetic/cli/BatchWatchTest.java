package dev.kinetic.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.BatchHandle;
import dev.kinetic.BatchHandle.BatchCounts;
import dev.kinetic.Cleanup;
import dev.kinetic.JobHandle;
import dev.kinetic.JobStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code kinetic batches status --watch}: a bar redrawn in place on a terminal, plain lines per change when piped. */
class BatchWatchTest {
    private static BatchCounts counts(int finished, int failed, int running, int queued, int workers) {
        return new BatchCounts(
                10,
                queued,
                Map.of(JobStatus.SUCCEEDED, finished - failed, JobStatus.FAILED, failed, JobStatus.RUNNING, running),
                workers,
                queued,
                running,
                finished);
    }

    @Test
    void onATerminalOneLineIsRedrawnWithABarRateAndTimeLeft() {
        StringWriter out = new StringWriter();
        Printer p = new Printer(
                new PrintWriter(out),
                new PrintWriter(new StringWriter()),
                new Terminal(true, true, false),
                Clock.systemUTC());
        int exit = new BatchWatch(p, Clock.systemUTC(), false)
                .run(new Scripted(counts(0, 0, 2, 8, 2), counts(4, 1, 2, 4, 2), counts(10, 1, 0, 0, 0)));

        assertThat(exit).isEqualTo(ExitCodes.OK);
        String text = out.toString();
        assertThat(text.split("\r", -1)).hasSize(4); // three redraws of one line
        assertThat(text).endsWith("\n").contains("\u001B[2K");
        assertThat(text).contains("[------------------------] 0/10 done · 2 running · 8 queued · 2 workers · -/s");
        assertThat(text)
                .containsPattern("\\[#########---------------\\] 4/10 done · 1 failed · 2 running · 4 queued · "
                        + "2 workers · \\d+\\.\\d/s · ETA \\d+s");
        assertThat(text).contains("[########################] 10/10 done · 1 failed · 0 running · 0 queued");
    }

    @Test
    void pipedEachChangeIsOnePlainLine() {
        StringWriter out = new StringWriter();
        Printer p = new Printer(
                new PrintWriter(out), new PrintWriter(new StringWriter()), Terminal.NONE, Clock.systemUTC());
        int exit = new BatchWatch(p, Clock.systemUTC(), false)
                .run(new Scripted(counts(0, 0, 2, 8, 2), counts(0, 0, 2, 8, 2), counts(10, 0, 0, 0, 0)));

        assertThat(exit).isEqualTo(ExitCodes.OK);
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("\\S+ grp-0000000a 0/10 done · 2 running · 8 queued · 2 workers · -/s");
        assertThat(lines.get(1)).contains("10/10 done · 0 running · 0 queued · 0 workers");
        assertThat(out.toString()).doesNotContain("\r").doesNotContain("[#");
    }

    /** A batch whose counts come from a script, one per refresh; the last repeats. */
    private static final class Scripted implements BatchHandle<Object> {
        private final Deque<BatchCounts> script;

        Scripted(BatchCounts... counts) {
            this.script = new ArrayDeque<>(List.of(counts));
        }

        @Override
        public BatchCounts statusCounts() {
            return script.size() > 1 ? script.poll() : script.peek();
        }

        @Override
        public String id() {
            return "grp-0000000a";
        }

        @Override
        public int size() {
            return 10;
        }

        @Override
        public List<Optional<JobHandle<Object>>> jobs() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Object> results() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Object> results(Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Object> results(Duration timeout, ReturnExceptions inPlace) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Stream<JobHandle<Object>> asCompleted() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<Integer, Throwable> failures() {
            throw new UnsupportedOperationException();
        }

        @Override
        public BatchHandle<Object> retryFailed() {
            throw new UnsupportedOperationException();
        }

        @Override
        public BatchHandle<Object> resume() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean awaitSubmission(Duration timeout) {
            return true;
        }

        @Override
        public void cancel() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void cleanup(Cleanup cleanup) {
            throw new UnsupportedOperationException();
        }
    }
}
