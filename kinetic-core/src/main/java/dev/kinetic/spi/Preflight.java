package dev.kinetic.spi;

import java.util.List;
import java.util.Map;

/**
 * An optional capability of a {@link Backend}: check, before anything is submitted, that what the backend needs is
 * in place, and say for each check how to fix it. {@code kinetic doctor} prints these checks (with the store's),
 * and {@code kinetic accelerators --live} marks the catalog rows the cluster has nodes for.
 * <pre>{@code
 * if (backend instanceof Preflight p) {
 *     for (Preflight.Check c : p.preflight(settings.store().toString(), "l4")) {
 *         System.out.println(c.status() + " " + c.name() + ": " + c.detail());
 *     }
 * }
 * }</pre>
 */
public interface Preflight {

    /** How a check went: WARN is worth a look but does not stop a submit; FAIL does. */
    enum Status {
        PASS,
        WARN,
        FAIL
    }

    /**
     * One check.
     *
     * @param name a short stable name, e.g. {@code namespace}, {@code rbac}
     * @param status how it went
     * @param detail what was found, for people
     * @param fix the command or step that fixes it, or null when there is nothing to fix
     */
    record Check(String name, Status status, String detail, String fix) {
        public static Check pass(String name, String detail) {
            return new Check(name, Status.PASS, detail, null);
        }

        public static Check warn(String name, String detail, String fix) {
            return new Check(name, Status.WARN, detail, fix);
        }

        public static Check fail(String name, String detail, String fix) {
            return new Check(name, Status.FAIL, detail, fix);
        }
    }

    /**
     * Runs the backend's checks, in order. Never throws for what it finds: a failure is a check with
     * {@link Status#FAIL}.
     *
     * @param storeUri the store jobs will use (what pods must reach)
     * @param accelerator an accelerator whose nodes to look for, or null
     */
    List<Check> preflight(String storeUri, String accelerator);

    /**
     * The labels of every node of the cluster, to tell which accelerators it has nodes for.
     *
     * @throws dev.kinetic.KineticException when the nodes cannot be listed
     */
    List<Map<String, String>> nodeLabels();
}
