/**
 * What a session owns: settings, clock, store and backend clients, a background executor, listeners.
 *
 * <p>Internal to Kinetic: unsupported for users and plug-ins, and it may change in any release.
 */
package dev.kinetic.internal.engine;
