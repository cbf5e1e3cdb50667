package dev.kinetic.backend.kubernetes;

import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.LiveState;
import dev.kinetic.spi.WorkerPool;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Kubernetes backend knows of a batch's workers: the pool is one Job ({@link WorkerJobSpec}) named after the
 * pool, and each input's job record points at the worker pod that runs it ({@value #REF_WORKER_POD}), so status of an
 * input reads that pod; its log is in the store (the pod's log holds every input the worker ran).
 */
final class WorkerJobs {
    /** In an input's job record: the pod of the worker that runs it. */
    static final String REF_WORKER_POD = "workerPod";
    /** In an input's job record: the worker Job. */
    static final String REF_WORKER_JOB = "workerJob";

    private WorkerJobs() {}

    static WorkerPool prepare(WorkerPool draft) {
        Map<String, String> child = new LinkedHashMap<>();
        for (String key :
                List.of(KubernetesBackend.REF_NAMESPACE, KubernetesBackend.REF_SERVER, KubernetesBackend.REF_CONTEXT)) {
            String value = draft.backendRef().get(key);
            if (value != null) {
                child.put(key, value);
            }
        }
        child.put(REF_WORKER_JOB, draft.name());
        child.put(REF_WORKER_POD, WorkerPool.WORKER_PLACEHOLDER); // a worker's id is its pod's name
        return draft.withRefs(draft.backendRef(), child);
    }

    /** Whether the record is an input a batch worker runs (rather than a job with a Job of its own). */
    static boolean isInput(JobRecord record) {
        return record.backendRef().containsKey(REF_WORKER_POD);
    }

    /** An input's live state: its worker pod's. */
    static LiveState inputState(String podName, Pod pod) {
        if (pod == null) {
            return new LiveState(LiveState.Phase.GONE, "worker pod " + podName + " is gone", null, null);
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (phase == null || phase.equals("Pending")) {
            return LiveState.pending(JobStateMapper.pendingReason(pod));
        }
        return switch (phase) {
            case "Running" -> new LiveState(LiveState.Phase.RUNNING, null, null, null);
            case "Succeeded" -> new LiveState(LiveState.Phase.EXITED, null, 0, null);
            default ->
                new LiveState(
                        LiveState.Phase.EXITED,
                        "worker pod " + podName + " ended: " + JobStateMapper.podFailure(pod),
                        null,
                        null);
        };
    }

    /** The pool's state from its Job and pods. */
    static LiveState poolState(Job job, List<Pod> pods) {
        if (job == null) {
            return LiveState.of(LiveState.Phase.GONE);
        }
        for (String ended : List.of("Complete", "Failed")) {
            if (job.getStatus() != null && job.getStatus().getConditions() != null) {
                for (JobCondition c : job.getStatus().getConditions()) {
                    if (ended.equals(c.getType()) && "True".equals(c.getStatus())) {
                        String reason = c.getReason() == null
                                ? null
                                : c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage());
                        return new LiveState(LiveState.Phase.EXITED, reason, null, null);
                    }
                }
            }
        }
        int running = 0;
        Pod pending = null;
        for (Pod p : pods) {
            String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
            if ("Running".equals(phase)) {
                running++;
            } else if (phase == null || "Pending".equals(phase)) {
                pending = p;
            }
        }
        int workers = job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism();
        if (running > 0) {
            return new LiveState(
                    LiveState.Phase.RUNNING, running + " of " + workers + " worker pods running", null, null);
        }
        return pending != null
                ? LiveState.pending(JobStateMapper.pendingReason(pending))
                : LiveState.pending("waiting for the Job controller to create the worker pods");
    }
}
