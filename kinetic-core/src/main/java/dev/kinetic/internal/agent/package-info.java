/**
 * The agent: the process a backend starts for a job; it verifies artifacts, runs the task JVM, tees its output and records the outcome.
 *
 * <p>Internal to Kinetic: unsupported for users and plug-ins, and it may change in any release.
 */
package dev.kinetic.internal.agent;
