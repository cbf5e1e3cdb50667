package dev.kinetic.backend.kubernetes;

/** The labels and annotations Kinetic puts on its Jobs and pods; the only place that spells them. */
final class Labels {
    /** Every Kinetic Job and pod carries it; listings select by it. */
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    static final String MANAGED_BY_VALUE = "kinetic";
    /** The job id, on the Job and its pods: finds the pods of a job without relying on controller labels. */
    static final String JOB_ID = "kinetic.dev/job-id";

    static final String ACCELERATOR = "kinetic.dev/accelerator";
    /** The batch a worker Job (and its pods) works for. */
    static final String BATCH_ID = "kinetic.dev/batch-id";

    static final String STORE_ANNOTATION = "kinetic.dev/store";
    static final String FUNCTION_ANNOTATION = "kinetic.dev/function";
    static final String PAYLOAD_ANNOTATION = "kinetic.dev/payload-sha256";
    static final String SUBMITTED_BY_ANNOTATION = "kinetic.dev/submitted-by";
    /** The job's time limit (ISO-8601), when it has one: the Job's deadline is derived from it. */
    static final String TIMEOUT_ANNOTATION = "kinetic.dev/timeout";
    /** Keeps the cluster autoscaler from evicting a running job's pod when it scales a node pool down. */
    static final String SAFE_TO_EVICT = "cluster-autoscaler.kubernetes.io/safe-to-evict";

    /** The container that runs the agent. */
    static final String CONTAINER = "agent";

    private Labels() {}
}
