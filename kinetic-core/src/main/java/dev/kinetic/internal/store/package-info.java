/**
 * The built-in directory store (file: URIs).
 *
 * <p>Internal to Kinetic: unsupported for users and plug-ins, and it may change in any release.
 */
package dev.kinetic.internal.store;
