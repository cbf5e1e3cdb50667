/**
 * Data a job reads: uploads of local files (content-addressed) and their verified placement in the task.
 *
 * <p>Internal to Kinetic: unsupported for users and plug-ins, and it may change in any release.
 */
package dev.kinetic.internal.data;
