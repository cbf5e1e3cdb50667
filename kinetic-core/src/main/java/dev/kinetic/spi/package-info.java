/**
 * The plug-in contracts: a {@link dev.kinetic.spi.Backend} runs the agent for a job, a
 * {@link dev.kinetic.spi.store.BlobStore} keeps its artifacts, and both are found by {@link java.util.ServiceLoader}
 * (backend name, URI scheme). What they exchange lives here too: the {@link dev.kinetic.spi.JobRecord}, the
 * {@link dev.kinetic.spi.JobId}, the agent's command line ({@link dev.kinetic.spi.AgentCommand}) and the store layout
 * ({@link dev.kinetic.spi.JobLayout}). Supported for plug-in authors; it never depends on Kinetic's internals.
 */
package dev.kinetic.spi;
