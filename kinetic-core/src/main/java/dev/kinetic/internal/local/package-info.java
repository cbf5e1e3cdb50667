/**
 * The local backend: detached agent processes on this machine, in their own session.
 *
 * <p>Internal to Kinetic: unsupported for users and plug-ins, and it may change in any release.
 */
package dev.kinetic.internal.local;
