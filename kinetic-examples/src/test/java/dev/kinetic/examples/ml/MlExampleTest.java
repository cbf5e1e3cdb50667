package dev.kinetic.examples.ml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.KineticSession;
import dev.kinetic.testing.TestKinetic;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./demo.sh ml}, shortened: real DJL/PyTorch training on the CPU in real local jobs. A run is cancelled after
 * a checkpoint and a second job with the same outputDir resumes after it; four learning rates are swept with
 * runAsyncMap; the output ends with the best one.
 */
class MlExampleTest {
    @TempDir
    Path tmp;

    @Test
    void checkpointsCancelsResumesFromTheCheckpointAndSweepsFourLearningRates() throws Exception {
        MlDemo.Plan plan = new MlDemo.Plan(
                Path.of(System.getProperty("kinetic.iris", "data/iris.csv")),
                8,
                2,
                500,
                25,
                Path.of(System.getProperty("DJL_CACHE_DIR", "target/djl-cache")));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new Tee(printed, System.out), true, StandardCharsets.UTF_8);
        MlDemo.Report report;
        try (KineticSession kinetic = new TestKinetic(tmp).session()) {
            report = MlDemo.run(kinetic, plan, out);
        }
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();

        // Cancelled after a checkpoint; the second job started right after the checkpoint it found.
        assertThat(report.cancelledAfter()).isBetween(2, 7);
        assertThat(report.resumed().firstEpoch()).isEqualTo(report.cancelledAfter() + 1);
        assertThat(lines).anyMatch(l -> l.contains("resuming from the checkpoint of epoch " + report.cancelledAfter()));
        assertThat(lines).anyMatch(l -> l.contains("epoch   8/8"));
        // It continued from the trained weights, not from fresh ones: its first epoch beats the first run's first.
        assertThat(validationLoss(lines, report.cancelledAfter() + 1)).isLessThan(validationLoss(lines, 1));

        // The sweep: one real training run per rate, the best picked by validation loss, and printed last.
        assertThat(report.sweep())
                .extracting(IrisTrainer.Result::learningRate)
                .containsExactlyElementsOf(MlDemo.LEARNING_RATES);
        IrisTrainer.Result best = report.sweep().stream()
                .min(Comparator.comparingDouble(IrisTrainer.Result::validationLoss))
                .orElseThrow();
        assertThat(report.best()).isEqualTo(best.learningRate());
        assertThat(best.validationAccuracy()).as("a model that learned Iris").isGreaterThanOrEqualTo(0.9);
        assertThat(lines.get(lines.size() - 1))
                .isEqualTo("best learning rate: " + IrisTrainer.format(best.learningRate()));
    }

    /** The validation loss the log printed for {@code epoch} (of the 8-epoch run). */
    private static double validationLoss(List<String> lines, int epoch) {
        Pattern line = Pattern.compile("epoch +" + epoch + "/8 .* val-loss (\\S+) .*");
        for (String l : lines) {
            Matcher m = line.matcher(l);
            if (m.find()) {
                return Double.parseDouble(m.group(1));
            }
        }
        throw new AssertionError("no line for epoch " + epoch + " in " + lines);
    }

    /** Writes to two streams: the test keeps the output and the report shows it. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
