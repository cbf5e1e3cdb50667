/**
 * What processes exchange through the store: events, outcomes, failure phases, payloads, idempotency claims.
 *
 * <p>Internal to Kinetic: unsupported for users and plug-ins, and it may change in any release.
 */
package dev.kinetic.internal.protocol;
