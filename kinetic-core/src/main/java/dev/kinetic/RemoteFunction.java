package dev.kinetic;

import java.io.Serializable;

/**
 * A function of one argument to run as a job. Lambdas that target it are serializable; the argument must be
 * too.
 * <pre>{@code
 * RemoteFunction<Double, Double> train = lr -> Trainer.train(lr);
 * }</pre>
 */
@FunctionalInterface
public interface RemoteFunction<A, R> extends Serializable {
    R apply(A argument) throws Exception;
}
