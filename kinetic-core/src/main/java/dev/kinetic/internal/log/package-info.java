/**
 * A job's log in the store: segment writer, tail and follow.
 *
 * <p>Internal to Kinetic: unsupported for users and plug-ins, and it may change in any release.
 */
package dev.kinetic.internal.log;
