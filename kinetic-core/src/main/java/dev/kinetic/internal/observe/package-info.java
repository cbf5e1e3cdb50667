/**
 * The reading side: status (the backend's live state merged with the store), results, logs, attach and list.
 *
 * <p>Internal to Kinetic: unsupported for users and plug-ins, and it may change in any release.
 */
package dev.kinetic.internal.observe;
