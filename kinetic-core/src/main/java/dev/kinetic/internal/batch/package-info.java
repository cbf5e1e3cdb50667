/**
 * Batches: one function over many inputs, with the manifest and create-only claims in the store.
 *
 * <p>Internal to Kinetic: unsupported for users and plug-ins, and it may change in any release.
 */
package dev.kinetic.internal.batch;
