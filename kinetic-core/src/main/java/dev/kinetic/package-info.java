/**
 * Kinetic's API: what users type. Start at {@link dev.kinetic.Kinetic} (or {@link dev.kinetic.KineticSession} with
 * explicit settings): wrap a function, run it as a detached job, and find it again by id from any process.
 *
 * <p>Plug-ins (backends, stores) build on {@link dev.kinetic.spi}. Everything under {@code dev.kinetic.internal} is
 * Kinetic's own implementation: unsupported for users, it may change in any release.
 */
package dev.kinetic;
