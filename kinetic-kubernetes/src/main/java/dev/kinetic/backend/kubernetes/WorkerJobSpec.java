package dev.kinetic.backend.kubernetes;

import dev.kinetic.spi.AgentCommand;
import dev.kinetic.spi.WorkerPool;
import dev.kinetic.spi.accelerator.Accelerator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The Job that runs a batch's workers, work-queue style: {@code parallelism} = the pool's workers, no {@code
 * completions}, so the Job is complete once a worker exits 0 (no input is left) and all have ended. Each pod is a
 * worker (the same pod as a single job's, from {@link JobSpecBuilder}: image, resources, placement, store volume),
 * whose id is its own pod name (downward API). A worker pod that fails is replaced, up to {@code backoffLimit} =
 * workers x (retries + 1); a preempted or evicted one ({@code DisruptionTarget}) is replaced without counting; a
 * worker that exits 2 (its command is wrong) fails the Job at once. Which input runs again after a worker died is
 * decided in the store (leases and claims), not here.
 */
final class WorkerJobSpec {
    /** The worker's exit code for a command it cannot run: no replacement can do better. */
    static final int EXIT_USAGE = 2;

    private WorkerJobSpec() {}

    static Job build(KubernetesSettings settings, WorkerPool pool, AgentCommand command, Accelerator accelerator) {
        Job job = new JobSpecBuilder(settings).build(pool.template(), command, accelerator);
        job.getMetadata().getLabels().put(Labels.BATCH_ID, pool.batchId());
        job.getMetadata().getAnnotations().remove(Labels.PAYLOAD_ANNOTATION);
        JobSpec spec = job.getSpec();
        spec.setParallelism(pool.workers());
        spec.setCompletions(null);
        spec.setBackoffLimit(pool.workers() * (pool.retries() + 1));
        spec.setPodFailurePolicy(workerFailures());
        spec.getTemplate().getMetadata().getLabels().put(Labels.BATCH_ID, pool.batchId());
        Container container = spec.getTemplate().getSpec().getContainers().get(0);
        List<EnvVar> env = new ArrayList<>();
        for (EnvVar e : container.getEnv()) {
            if (!e.getName().equals("KINETIC_JOB_ID")) {
                env.add(e); // a worker runs many jobs: each input's id is set for its task
            }
        }
        env.add(new EnvVar("KINETIC_BATCH_ID", pool.batchId(), null));
        env.add(new EnvVarBuilder()
                .withName(AgentCommand.WORKER_ID_ENV)
                .withNewValueFrom()
                .withNewFieldRef()
                .withFieldPath("metadata.name")
                .endFieldRef()
                .endValueFrom()
                .build());
        container.setEnv(env);
        return job;
    }

    private static PodFailurePolicy workerFailures() {
        return new PodFailurePolicyBuilder()
                .addNewRule()
                .withAction("Ignore")
                .addNewOnPodCondition()
                .withType("DisruptionTarget")
                .withStatus("True")
                .endOnPodCondition()
                .endRule()
                .addNewRule()
                .withAction("FailJob")
                .withNewOnExitCodes()
                .withContainerName(Labels.CONTAINER)
                .withOperator("In")
                .withValues(EXIT_USAGE)
                .endOnExitCodes()
                .endRule()
                .build();
    }
}
