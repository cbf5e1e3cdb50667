package dev.kinetic.examples.ml;

import dev.kinetic.BatchHandle;
import dev.kinetic.BatchOptions;
import dev.kinetic.Cleanup;
import dev.kinetic.Data;
import dev.kinetic.JobHandle;
import dev.kinetic.KineticSession;
import dev.kinetic.RemoteFunctionJob;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./demo.sh ml}: a real model (DJL, PyTorch on the CPU) trained on Iris as Kinetic jobs.
 * <ol>
 *   <li>A run checkpoints every epoch into its output directory; it is cancelled mid-training, and a second job with
 *       the same {@code outputDir} resumes from the last checkpoint.
 *   <li>Four learning rates are swept with {@code runAsyncMap}; the best by validation loss is printed last, as
 *       {@code best learning rate: <value>}.
 * </ol>
 * <pre>
 * java -Dai.djl.offline=true -DDJL_CACHE_DIR=target/djl-cache -cp ... dev.kinetic.examples.ml.MlDemo [data.csv]
 * </pre>
 * System properties {@code demo.epochs} (default 30), {@code demo.cancelAfter} (5), {@code demo.pauseMillis} (300)
 * and {@code demo.sweepEpochs} (40) shorten it, as the test does.
 */
public final class MlDemo {
    /** The rates swept, smallest first. */
    public static final List<Double> LEARNING_RATES = List.of(0.001, 0.01, 0.1, 1.0);

    private static final Duration WAIT = Duration.ofMinutes(10);

    private MlDemo() {}

    /**
     * How long each part runs.
     *
     * @param data the Iris CSV
     * @param epochs the resumable run's epochs in all
     * @param cancelAfter the epoch after which it is cancelled
     * @param pauseMillis its pause after each epoch, so there is time to cancel it
     * @param sweepEpochs each sweep run's epochs
     * @param cacheDir where DJL unpacks PyTorch's native library (about 430 MB, once)
     */
    public record Plan(Path data, int epochs, int cancelAfter, long pauseMillis, int sweepEpochs, Path cacheDir) {
        static Plan fromSystemProperties(Path data) {
            return new Plan(
                    data,
                    Integer.getInteger("demo.epochs", 30),
                    Integer.getInteger("demo.cancelAfter", 5),
                    Long.getLong("demo.pauseMillis", 300),
                    Integer.getInteger("demo.sweepEpochs", 40),
                    Path.of(System.getProperty("DJL_CACHE_DIR", "target/djl-cache")));
        }
    }

    /**
     * What the demo found.
     *
     * @param cancelledAfter the last checkpoint the cancelled run left
     * @param resumed what the second run returned (its {@code firstEpoch} is the epoch after that checkpoint)
     * @param sweep one result per learning rate, in {@link #LEARNING_RATES} order
     * @param best the learning rate with the lowest validation loss
     */
    public record Report(int cancelledAfter, IrisTrainer.Result resumed, List<IrisTrainer.Result> sweep, double best) {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "kinetic-examples/data/iris.csv");
        try (KineticSession kinetic = KineticSession.fromEnvironment()) {
            run(kinetic, Plan.fromSystemProperties(data), System.out);
        }
    }

    public static Report run(KineticSession kinetic, Plan plan, PrintStream out) throws Exception {
        if (!Files.isRegularFile(plan.data())) {
            throw new IllegalArgumentException("no Iris table at " + plan.data().toAbsolutePath()
                    + "; run from the repository root, or pass the path of kinetic-examples/data/iris.csv");
        }
        Data iris = Data.of(plan.data());
        out.println("== 1. checkpoint every epoch, cancel mid-training, resume with the same outputDir ==");
        String outputDir = "outputs/iris-" + Instant.now().toEpochMilli() + "/";
        var resumable = trainer(kinetic, plan).outputDir(outputDir).label("demo", "ml-resume");
        IrisTrainer.Config config = new IrisTrainer.Config(iris, 0.1, plan.epochs(), plan.pauseMillis());
        JobHandle<IrisTrainer.Result> first = resumable.runAsync(config);
        out.println("submitted " + first.id() + " (lr 0.1, " + plan.epochs() + " epochs, checkpoints to " + outputDir
                + ")");
        int cancelledAfter = cancelAfterCheckpoint(first, plan.cancelAfter(), out);
        JobHandle<IrisTrainer.Result> second = resumable.runAsync(config);
        out.println("submitted " + second.id() + " with the same outputDir; its log:");
        second.followLogs(line -> out.println("  | " + line));
        IrisTrainer.Result resumed = second.result(WAIT, Cleanup.ALL);
        out.printf(
                Locale.ROOT,
                "resumed at epoch %d of %d: val-loss %.4f, val-acc %.3f%n%n",
                resumed.firstEpoch(),
                resumed.epochs(),
                resumed.validationLoss(),
                resumed.validationAccuracy());
        first.cleanup(Cleanup.ALL);

        out.println("== 2. learning-rate sweep with runAsyncMap ==");
        List<IrisTrainer.Config> inputs = new ArrayList<>();
        for (double rate : LEARNING_RATES) {
            inputs.add(new IrisTrainer.Config(iris, rate, plan.sweepEpochs(), 0));
        }
        BatchHandle<IrisTrainer.Result> sweep = trainer(kinetic, plan)
                .label("demo", "ml-sweep")
                .runAsyncMap(inputs, BatchOptions.builder().maxConcurrent(2).build());
        out.println("batch " + sweep.id() + ": " + inputs.size() + " runs of " + plan.sweepEpochs() + " epochs");
        List<IrisTrainer.Result> results = sweep.results(WAIT);
        sweep.cleanup(Cleanup.ALL);
        IrisTrainer.Result best = results.stream()
                .min(Comparator.comparingDouble(IrisTrainer.Result::validationLoss))
                .orElseThrow();
        out.println("  learning rate  val-loss  val-acc");
        for (IrisTrainer.Result r : results) {
            out.printf(
                    Locale.ROOT,
                    "  %-13s  %8.4f  %7.3f%s%n",
                    IrisTrainer.format(r.learningRate()),
                    r.validationLoss(),
                    r.validationAccuracy(),
                    r.equals(best) ? "  <- best" : "");
        }
        out.println("best learning rate: " + IrisTrainer.format(best.learningRate()));
        out.flush();
        return new Report(cancelledAfter, resumed, results, best.learningRate());
    }

    /**
     * The training function as a job: PyTorch from the jar's bundled native library (offline, unpacked once into the
     * cache directory), one CPU thread per job so several share a small machine.
     */
    private static RemoteFunctionJob<IrisTrainer.Config, IrisTrainer.Result> trainer(
            KineticSession kinetic, Plan plan) {
        return kinetic.remote((IrisTrainer.Config c) -> IrisTrainer.train(c))
                .displayName("iris")
                .with(o -> o.jvmArgs(
                        "-Dai.djl.offline=true",
                        "-DDJL_CACHE_DIR=" + plan.cacheDir().toAbsolutePath(),
                        "-Dai.djl.pytorch.num_threads=1",
                        "-Dai.djl.pytorch.num_interop_threads=1"));
    }

    /**
     * Follows the run until it has saved the checkpoint of epoch {@code epoch}, then cancels it; returns the epoch of
     * the checkpoint its outputs hold (synced when it was stopped).
     */
    private static int cancelAfterCheckpoint(JobHandle<IrisTrainer.Result> job, int epoch, PrintStream out)
            throws InterruptedException, java.io.IOException {
        int printed = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = job.logs();
            for (; printed < lines.size(); printed++) {
                out.println("  | " + lines.get(printed));
            }
            if (lines.contains("checkpoint saved: epoch " + epoch)) {
                job.cancel();
                List<String> rest = job.logs(); // what it printed before the cancel landed
                for (; printed < rest.size(); printed++) {
                    out.println("  | " + rest.get(printed));
                }
                // It may have saved another epoch before the cancel landed: the checkpoint in its outputs says.
                Path outputs = Files.createTempDirectory("iris-outputs");
                job.downloadOutputs(outputs);
                int saved = IrisTrainer.checkpointEpoch(outputs).orElse(0);
                out.println("cancelled " + job.id() + " (" + job.status() + "); the last checkpoint in its outputs is "
                        + "epoch " + saved);
                return saved;
            }
            if (job.status().isTerminal()) {
                throw new IllegalStateException("job " + job.id() + " ended (" + job.describe() + ") before epoch "
                        + epoch + "; its log: " + String.join("\n", lines));
            }
            Thread.sleep(200);
        }
        job.cancel();
        throw new IllegalStateException("job " + job.id() + " did not reach epoch " + epoch + " in " + WAIT);
    }
}
