package dev.kinetic.examples.ml;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import dev.kinetic.Data;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trains a small neural network (4 inputs, 16 hidden ReLU units, 3 classes) on Iris with DJL's PyTorch engine, on the
 * CPU. It is the function the jobs run. After every epoch it writes a checkpoint into {@code KINETIC_OUTPUT_DIR}
 * ({@code model-epoch-N.params}, then {@code checkpoint.json} naming it, each written to a temporary name and moved
 * into place so a kill never leaves a half-written checkpoint); Kinetic syncs that directory to the store. A job that
 * finds a checkpoint there at start (a job with the same {@code outputDir} as a cancelled one) resumes after it.
 */
public final class IrisTrainer {
    private static final String CHECKPOINT = "checkpoint.json";
    private static final Pattern EPOCH = Pattern.compile("\"epoch\"\\s*:\\s*(\\d+)");
    private static final int BATCH_SIZE = 16;
    private static final int SEED = 7;

    private IrisTrainer() {}

    /**
     * One training run.
     *
     * @param data the Iris CSV, shipped to the job with {@link Data#of(Path)}
     * @param learningRate SGD's learning rate
     * @param epochs how many passes over the training rows in all (a resumed run counts the earlier job's)
     * @param epochPauseMillis a pause after each epoch: Iris trains in milliseconds, and the demo needs time to cancel
     *     a run mid-training; 0 for real runs
     */
    public record Config(Data data, double learningRate, int epochs, long epochPauseMillis) implements Serializable {}

    /**
     * What a run returns.
     *
     * @param learningRate the learning rate it trained with
     * @param firstEpoch the first epoch this job ran: 1, or the one after the checkpoint it resumed from
     * @param epochs the last epoch
     * @param trainLoss the training rows' mean cross-entropy after the last epoch
     * @param validationLoss the held-out rows' mean cross-entropy, by which the sweep picks
     * @param validationAccuracy the share of held-out flowers classified right
     */
    public record Result(
            double learningRate,
            int firstEpoch,
            int epochs,
            double trainLoss,
            double validationLoss,
            double validationAccuracy)
            implements Serializable {}

    /** Trains as {@code config} says, checkpointing into {@code KINETIC_OUTPUT_DIR} (or a temporary directory). */
    public static Result train(Config config) throws IOException, TranslateException, InterruptedException {
        Path checkpoints = outputDir();
        IrisTable table = IrisTable.read(config.data().path());
        Engine.getInstance().setRandomSeed(SEED);
        try (NDManager manager = NDManager.newBaseManager();
                Model model = Model.newInstance("iris")) {
            SequentialBlock net = new SequentialBlock()
                    .add(Linear.builder().setUnits(16).build())
                    .add(Activation.reluBlock())
                    .add(Linear.builder().setUnits(3).build());
            model.setBlock(net);
            DefaultTrainingConfig training = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd()
                            .setLearningRateTracker(Tracker.fixed((float) config.learningRate()))
                            .build());
            // A checkpoint is loaded before the trainer exists: the trainer keeps its own references to the
            // parameters it initialized, so values loaded after it would not be the ones it trains.
            net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(BATCH_SIZE, 4));
            int first = restore(checkpoints, net, model.getNDManager()) + 1;
            if (first > 1) {
                System.out.println("resuming from the checkpoint of epoch " + (first - 1) + " in " + checkpoints);
            }
            try (Trainer trainer = model.newTrainer(training)) {
                trainer.initialize(new Shape(BATCH_SIZE, 4));
                NDArray trainX = manager.create(table.trainFeatures());
                NDArray trainY = manager.create(table.trainLabels());
                NDArray validationX = manager.create(table.validationFeatures());
                NDArray validationY = manager.create(table.validationLabels());
                ArrayDataset dataset = new ArrayDataset.Builder()
                        .setData(trainX)
                        .optLabels(trainY)
                        .setSampling(BATCH_SIZE, true)
                        .build();
                double[] train = {Double.NaN, 0};
                double[] validation = {Double.NaN, 0};
                for (int epoch = first; epoch <= config.epochs(); epoch++) {
                    for (Batch batch : trainer.iterateDataset(dataset)) {
                        EasyTrain.trainBatch(trainer, batch);
                        trainer.step();
                        batch.close();
                    }
                    train = evaluate(trainer, trainX, trainY);
                    validation = evaluate(trainer, validationX, validationY);
                    System.out.printf(
                            Locale.ROOT,
                            "epoch %3d/%d  lr %-6s  train-loss %.4f  val-loss %.4f  val-acc %.3f%n",
                            epoch,
                            config.epochs(),
                            format(config.learningRate()),
                            train[0],
                            validation[0],
                            validation[1]);
                    save(checkpoints, net, epoch, config.learningRate(), validation[0]);
                    System.out.flush();
                    if (config.epochPauseMillis() > 0) {
                        Thread.sleep(config.epochPauseMillis());
                    }
                }
                return new Result(
                        config.learningRate(), first, config.epochs(), train[0], validation[0], validation[1]);
            }
        }
    }

    /** Mean cross-entropy and accuracy of the network on these rows. */
    private static double[] evaluate(Trainer trainer, NDArray x, NDArray y) {
        NDArray logits = trainer.evaluate(new NDList(x)).singletonOrThrow();
        double loss =
                trainer.getLoss().evaluate(new NDList(y), new NDList(logits)).getFloat();
        double accuracy = logits.argMax(1)
                        .toType(y.getDataType(), false)
                        .eq(y)
                        .sum()
                        .toType(DataType.FLOAT32, false)
                        .getFloat()
                / y.size();
        return new double[] {loss, accuracy};
    }

    private static void save(Path dir, SequentialBlock net, int epoch, double learningRate, double validationLoss)
            throws IOException {
        Path params = dir.resolve(paramsName(epoch));
        Path tmp = dir.resolve(paramsName(epoch) + ".tmp");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(tmp))) {
            net.saveParameters(out);
        }
        Files.move(tmp, params, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        String json = String.format(
                Locale.ROOT,
                "{\"epoch\": %d, \"params\": \"%s\", \"learningRate\": %s, \"validationLoss\": %.6f}%n",
                epoch,
                params.getFileName(),
                format(learningRate),
                validationLoss);
        Path jsonTmp = dir.resolve(CHECKPOINT + ".tmp");
        Files.writeString(jsonTmp, json, StandardCharsets.UTF_8);
        Files.move(
                jsonTmp, dir.resolve(CHECKPOINT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // Keep this epoch's and the previous one's parameters; older ones only cost space.
        Files.deleteIfExists(dir.resolve(paramsName(epoch - 2)));
        System.out.println("checkpoint saved: epoch " + epoch);
    }

    /** Loads the checkpoint in {@code dir} into {@code net}; returns its epoch, or 0 when there is none. */
    private static int restore(Path dir, SequentialBlock net, NDManager manager) throws IOException {
        Optional<Integer> epoch = checkpointEpoch(dir);
        if (epoch.isEmpty()) {
            return 0;
        }
        try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve(paramsName(epoch.get()))))) {
            net.loadParameters(manager, in);
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException("checkpoint of epoch " + epoch.get() + " in " + dir + " cannot be loaded", e);
        }
        return epoch.get();
    }

    /** The epoch the checkpoint in {@code dir} holds, if there is one. */
    public static Optional<Integer> checkpointEpoch(Path dir) throws IOException {
        Path file = dir.resolve(CHECKPOINT);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Matcher m = EPOCH.matcher(Files.readString(file, StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new IOException(file + " names no epoch");
        }
        return Optional.of(Integer.parseInt(m.group(1)));
    }

    private static String paramsName(int epoch) {
        return String.format(Locale.ROOT, "model-epoch-%04d.params", epoch);
    }

    /** 0.1, 0.01, 0.001: as a person writes learning rates. */
    static String format(double learningRate) {
        return java.math.BigDecimal.valueOf(learningRate).stripTrailingZeros().toPlainString();
    }

    /** Where checkpoints go: the job's output directory, or a fresh temporary one outside a job. */
    private static Path outputDir() throws IOException {
        String dir = System.getenv("KINETIC_OUTPUT_DIR");
        return dir != null ? Files.createDirectories(Path.of(dir)) : Files.createTempDirectory("iris-checkpoints");
    }
}
