/**
 * The JSON documents of the {@code kinetic} command's {@code -o json} and of the dashboard's {@code /api/...}: one
 * record (or builder) per view, shared by both, so their field names can never drift apart. Each is a contract with
 * scripts: add fields, never rename or remove one.
 */
package dev.kinetic.ui.view;
