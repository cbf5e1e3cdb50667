package dev.kinetic.backend.kubernetes;

import dev.kinetic.spi.AgentCommand;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.accelerator.Accelerator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@code batch/v1} Job for a recorded job (DESIGN §6): one pod that never restarts in place, whose
 * container runs the agent with the store URI, the job id and the hashes it must verify.
 * <pre>{@code
 * Job job = new JobSpecBuilder(settings).build(record, command, accelerator);
 * }</pre>
 */
final class JobSpecBuilder {
    /** The agent only moves bytes: a small heap and the client compiler make it start fast and stay small. */
    static final List<String> AGENT_JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    /** The shared store's volume, when the store is a {@code file:} directory on a filesystem every node has. */
    static final String SHARED_STORE_VOLUME = "kinetic-store";
    /** The pod's termination grace period, for the agent. */
    static final String GRACE_PERIOD_ENV = "KINETIC_TERMINATION_GRACE_PERIOD";

    private final KubernetesSettings settings;

    JobSpecBuilder(KubernetesSettings settings) {
        this.settings = settings;
    }

    Job build(JobRecord record, AgentCommand command, Accelerator accelerator) {
        command = MultiHostSpec.command(record, command, accelerator);
        Map<String, String> labels = labels(record, accelerator);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(Labels.STORE_ANNOTATION, record.store());
        annotations.put(Labels.FUNCTION_ANNOTATION, record.functionClass() + " " + record.function());
        annotations.put(Labels.PAYLOAD_ANNOTATION, record.payload().sha256());
        annotations.put(Labels.SUBMITTED_BY_ANNOTATION, record.submittedBy());
        if (record.timeout() != null) {
            annotations.put(Labels.TIMEOUT_ANNOTATION, record.timeout().toString());
        }

        var spec = new JobBuilder()
                .withNewMetadata()
                .withName(record.id().value())
                .withNamespace(settings.namespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(record.retries())
                .withPodFailurePolicy(record.retries() > 0 ? retryDisruptionsOnly() : null)
                .withTtlSecondsAfterFinished(settings.ttlSecondsAfterFinished())
                .withActiveDeadlineSeconds(ActiveDeadline.seconds(settings, record))
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .withAnnotations(Map.of(Labels.SAFE_TO_EVICT, "false"))
                .endMetadata()
                .withSpec(podSpec(record, command, accelerator))
                .endTemplate()
                .endSpec();
        Job job = spec.build();
        return record.hosts() > 1 ? MultiHostSpec.shape(job, record) : job;
    }

    private PodSpec podSpec(JobRecord record, AgentCommand command, Accelerator accelerator) {
        PodPlacement placement = PodPlacement.of(accelerator, settings.cpu(), settings.memory());
        var pod = new PodSpecBuilder()
                .withRestartPolicy("Never")
                .withServiceAccountName(settings.serviceAccount())
                .withNodeSelector(
                        placement.nodeSelector().isEmpty() ? null : new LinkedHashMap<>(placement.nodeSelector()))
                .withTolerations(placement.tolerations().isEmpty() ? null : placement.tolerations())
                .withTerminationGracePeriodSeconds((long) settings.terminationGracePeriodSeconds())
                .withContainers(container(record, command, accelerator, placement));
        Path shared = sharedStoreDirectory(record);
        if (shared != null) {
            // The same path inside the pod as on the submitting machine, so the store URI works unchanged.
            pod.addNewVolume()
                    .withName(SHARED_STORE_VOLUME)
                    .withNewHostPath()
                    .withPath(shared.toString())
                    .withType("Directory")
                    .endHostPath()
                    .endVolume();
        }
        return pod.build();
    }

    private Container container(
            JobRecord record, AgentCommand command, Accelerator accelerator, PodPlacement placement) {
        List<String> java = new ArrayList<>();
        java.add("java");
        java.addAll(AGENT_JVM_OPTIONS);
        java.add("-cp");
        java.add(settings.agentClasspath());
        java.add(command.mainClass()); // the agent's, or a batch worker's

        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar("KINETIC_JOB_ID", record.id().value(), null));
        // The agent's SIGTERM path (stop the task, record, sync outputs) budgets this many seconds.
        env.add(new EnvVar(GRACE_PERIOD_ENV, String.valueOf(settings.terminationGracePeriodSeconds()), null));
        GpuEnvironment.addTo(env, accelerator, settings.podEnv());
        settings.podEnv().forEach((k, v) -> env.add(new EnvVar(k, v, null)));

        var container = new ContainerBuilder()
                .withName(Labels.CONTAINER)
                .withImage(settings.image())
                .withImagePullPolicy(settings.imagePullPolicy())
                .withCommand(java)
                .withArgs(command.arguments())
                .withEnv(env)
                .withNewResources()
                .withRequests(placement.requests().isEmpty() ? null : new LinkedHashMap<>(placement.requests()))
                .withLimits(placement.limits().isEmpty() ? null : new LinkedHashMap<>(placement.limits()))
                .endResources();
        TerminationMessage.configure(container);
        Path shared = sharedStoreDirectory(record);
        if (shared != null) {
            container
                    .addNewVolumeMount()
                    .withName(SHARED_STORE_VOLUME)
                    .withMountPath(shared.toString())
                    .endVolumeMount();
        }
        return container.build();
    }

    /**
     * With retries: preemption and other disruptions (the pod gets a {@code DisruptionTarget} condition) count
     * against {@code backoffLimit} and start a new pod; any non-zero exit of the agent means the task failed,
     * which a retry would not fix, so the Job fails at once.
     */
    private static PodFailurePolicy retryDisruptionsOnly() {
        return new PodFailurePolicyBuilder()
                .addNewRule()
                .withAction("Count")
                .addNewOnPodCondition()
                .withType("DisruptionTarget")
                .withStatus("True")
                .endOnPodCondition()
                .endRule()
                .addNewRule()
                .withAction("FailJob")
                .withNewOnExitCodes()
                .withContainerName(Labels.CONTAINER)
                .withOperator("NotIn")
                .withValues(0)
                .endOnExitCodes()
                .endRule()
                .build();
    }

    /** The directory to mount for a {@code file:} store, or null for object stores. */
    private Path sharedStoreDirectory(JobRecord record) {
        return StoreReach.sharedDirectory(record.store(), settings);
    }

    static Map<String, String> labels(JobRecord record, Accelerator accelerator) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        labels.put(Labels.JOB_ID, record.id().value());
        labels.put(Labels.ACCELERATOR, accelerator.idPart() + (accelerator.spot() ? "-spot" : ""));
        return labels;
    }
}
