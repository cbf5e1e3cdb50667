/**
 * A batch's worker: the process a backend starts for each of a batch's {@code maxConcurrent} slots. It takes the
 * batch's inputs one after another from the store ({@link dev.kinetic.internal.batch.worker.WorkQueue}), records each
 * under a job id of its own exactly as a single job's agent does, and runs them in one long-lived task JVM (or a fresh
 * one per input with {@code Isolation.PER_INPUT}), until no input is left.
 *
 * <p>Internal to Kinetic: unsupported for users and plug-ins, and it may change in any release.
 */
package dev.kinetic.internal.batch.worker;
