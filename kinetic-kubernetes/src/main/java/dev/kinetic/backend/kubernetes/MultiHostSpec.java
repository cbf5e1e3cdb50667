package dev.kinetic.backend.kubernetes;

import dev.kinetic.spi.AgentCommand;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.accelerator.Accelerator;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a multi-host job adds to the single-host Job, with nothing the cluster may lack (no JobSet or LeaderWorkerSet
 * CRD): one Indexed Job whose {@code completions = parallelism = hosts}, and a headless Service named after the job,
 * owned by the Job, that gives each pod the stable name {@code <job>-<index>.<job>}.
 *
 * <ul>
 *   <li>This is the shape GKE documents for multi-host TPU slices, and the one its webhook recognizes to inject
 *       {@code TPU_WORKER_ID} (the index) and {@code TPU_WORKER_HOSTNAMES} ({@code <job>-<i>.<subdomain>}, in index
 *       order): an Indexed Job with a {@code subdomain}, {@code parallelism > 1}, requesting {@code google.com/tpu}.
 *       The agent gives the task the same values only where GKE did not.
 *   <li>The gang fails as a whole, as a JobSet does by failing every child Job when one fails: any host's non-zero
 *       exit fails the Job ({@code podFailurePolicy: FailJob}), whose controller then stops every other pod.
 *   <li>With {@code retries(n)} the gang restarts as a whole: a disrupted host records {@code attempt-terminated};
 *       the others see it through the store and end their attempts with exit code {@value #RESTART_EXIT_CODE}. Both
 *       count against {@code backoffLimit}, which is therefore {@code retries × hosts}, and the Job controller starts
 *       every index again. One host is never retried alone.
 * </ul>
 */
final class MultiHostSpec {
    /** The port in {@code KINETIC_COORDINATOR_ADDRESS}: reserved for the user's coordination (Kinetic binds nothing). */
    static final int COORDINATOR_PORT = 29500;
    /** How an agent ends an attempt to restart the gang (SIGTERM's code, as after a disruption). */
    static final int RESTART_EXIT_CODE = 143;
    /** Where the Job controller writes a pod's index (a label from Kubernetes 1.28, an annotation before). */
    static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";

    private MultiHostSpec() {}

    /** The agent command with every host's name and the coordinator; each pod's index comes from the Job controller. */
    static AgentCommand command(JobRecord record, AgentCommand command, Accelerator accelerator) {
        if (record.hosts() < 2 || command.hosts() < 2) {
            return command;
        }
        List<String> names = hostNames(record);
        return command.withGang(
                names, names.get(0) + ":" + COORDINATOR_PORT, accelerator.kind().equals("tpu"));
    }

    /** {@code <job>-<i>.<job>}: the pod's host name in the headless Service's subdomain, as GKE names TPU workers. */
    static List<String> hostNames(JobRecord record) {
        String job = record.id().value();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < record.hosts(); i++) {
            names.add(job + "-" + i + "." + serviceName(record));
        }
        return names;
    }

    /** The headless Service's name: the job's, so the Job, its Service and its pods' subdomain read alike. */
    static String serviceName(JobRecord record) {
        return record.id().value();
    }

    /** Turns the single-pod Job into the gang's Indexed Job. */
    static Job shape(Job job, JobRecord record) {
        int hosts = record.hosts();
        JobSpec spec = job.getSpec();
        spec.setCompletionMode("Indexed");
        spec.setCompletions(hosts);
        spec.setParallelism(hosts);
        spec.setBackoffLimit(record.retries() * hosts);
        spec.setPodFailurePolicy(gangFailurePolicy(record.retries() > 0));
        PodSpec pod = spec.getTemplate().getSpec();
        pod.setSubdomain(serviceName(record));
        pod.getContainers()
                .get(0)
                .setPorts(List.of(new ContainerPortBuilder()
                        .withName("coordinator")
                        .withContainerPort(COORDINATOR_PORT)
                        .build()));
        return job;
    }

    /**
     * Any host's failure fails the whole Job at once. With retries, a disruption and a host ending its attempt to
     * restart the gang count against {@code backoffLimit} instead, and the controller starts those pods again.
     */
    static PodFailurePolicy gangFailurePolicy(boolean retries) {
        var policy = new PodFailurePolicyBuilder();
        if (retries) {
            policy.addNewRule()
                    .withAction("Count")
                    .addNewOnPodCondition()
                    .withType("DisruptionTarget")
                    .withStatus("True")
                    .endOnPodCondition()
                    .endRule()
                    .addNewRule()
                    .withAction("Count")
                    .withNewOnExitCodes()
                    .withContainerName(Labels.CONTAINER)
                    .withOperator("In")
                    .withValues(RESTART_EXIT_CODE)
                    .endOnExitCodes()
                    .endRule();
        }
        return policy.addNewRule()
                .withAction("FailJob")
                .withNewOnExitCodes()
                .withContainerName(Labels.CONTAINER)
                .withOperator("NotIn")
                .withValues(0)
                .endOnExitCodes()
                .endRule()
                .build();
    }

    /**
     * The headless Service that gives the pods their names, owned by {@code job} (as created, with its uid) so that
     * deleting the Job deletes it. Not-ready addresses are published: a host must resolve its peers while they start.
     */
    static Service service(Job job, JobRecord record) {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(Labels.JOB_ID, record.id().value());
        var meta = new ServiceBuilder()
                .withNewMetadata()
                .withName(serviceName(record))
                .withNamespace(job.getMetadata().getNamespace())
                .withLabels(new LinkedHashMap<>(job.getMetadata().getLabels()));
        if (job.getMetadata().getUid() != null) {
            meta.withOwnerReferences(new OwnerReferenceBuilder()
                    .withApiVersion("batch/v1")
                    .withKind("Job")
                    .withName(job.getMetadata().getName())
                    .withUid(job.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build());
        }
        return meta.endMetadata()
                .withNewSpec()
                .withClusterIP("None")
                .withPublishNotReadyAddresses(true)
                .withSelector(selector)
                .addNewPort()
                .withName("coordinator")
                .withPort(COORDINATOR_PORT)
                .withTargetPort(new io.fabric8.kubernetes.api.model.IntOrString(COORDINATOR_PORT))
                .endPort()
                .endSpec()
                .build();
    }
}
