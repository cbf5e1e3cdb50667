package dev.kinetic.spi;

import java.util.List;
import java.util.Map;

/**
 * An optional capability of a {@link Backend}: create, idempotently, what jobs need on the cluster before the first
 * submit ({@code kinetic setup kubernetes}): for Kubernetes the namespace, the pods' service account (with its
 * Workload Identity) and the Role a submitting user needs. What Kinetic cannot do itself (grant a Google identity, a
 * bucket role, bind the Role to a user) comes back as commands to run.
 * <pre>{@code
 * var request = new ClusterSetup.Request("ml-jobs", "kinetic", "trainer@acme.iam.gserviceaccount.com", "gs://acme-ml");
 * backend.plan(request).objects();   // what would be applied
 * backend.apply(request);            // applied with server-side apply; a second run changes nothing
 * }</pre>
 */
public interface ClusterSetup {

    /**
     * What to set up.
     *
     * @param namespace the namespace jobs run in
     * @param serviceAccount the pods' service account
     * @param gcpServiceAccount the Google service account it acts as (Workload Identity), or null
     * @param storeUri the store the pods must reach (a {@code gs://} bucket needs a role for the Google account)
     */
    record Request(String namespace, String serviceAccount, String gcpServiceAccount, String storeUri) {}

    /**
     * The objects to apply, in order, each in its JSON form, and the steps that need someone with more rights.
     *
     * @param objects the namespace, service account and Role
     * @param steps commands to run by hand (gcloud, kubectl), each one line
     */
    record Plan(List<Map<String, Object>> objects, List<String> steps) {}

    /**
     * What applying did to one object.
     *
     * @param object {@code kind/name}
     * @param action {@code created}, {@code configured}, {@code unchanged} or {@code forbidden}
     * @param detail for people (for {@code forbidden}: who may do it instead)
     */
    record Change(String object, String action, String detail) {}

    /** What {@link #apply} would apply; contacts nothing. */
    Plan plan(Request request);

    /**
     * Applies the plan's objects (server-side apply), leaving unchanged what already matches.
     *
     * @throws dev.kinetic.KineticException when the cluster cannot be reached
     */
    List<Change> apply(Request request);
}
