package dev.kinetic.examples;

import java.io.Serializable;

/** A stand-in for a long training run: it prints progress once a second and returns its final loss. */
public final class Trainer {
    private Trainer() {}

    /** What a training run returns; a record, so it serializes and prints well. */
    public record Result(double learningRate, int steps, double finalLoss) implements Serializable {}

    public static Result train(double learningRate, int steps) throws InterruptedException {
        double loss = 2.5;
        for (int step = 1; step <= steps; step++) {
            Thread.sleep(1000);
            loss = loss * (1 - learningRate * 10) + 0.01;
            System.out.printf("step %2d/%d  loss=%.4f%n", step, steps, loss);
        }
        return new Result(learningRate, steps, Math.round(loss * 10_000) / 10_000.0);
    }
}
