/**
 * Submission as named steps: package, record, launch.
 *
 * <p>Internal to Kinetic: unsupported for users and plug-ins, and it may change in any release.
 */
package dev.kinetic.internal.submit;
