package dev.kinetic;

import java.io.Serializable;

/**
 * A function of no arguments to run as a job. Lambdas that target it are serializable; everything they
 * capture must be too.
 * <pre>{@code
 * RemoteCallable<Double> train = () -> Trainer.train(0.001);
 * }</pre>
 */
@FunctionalInterface
public interface RemoteCallable<T> extends Serializable {
    T call() throws Exception;
}
