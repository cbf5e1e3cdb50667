package dev.kinetic.backend.kubernetes;

import dev.kinetic.spi.JobRecord;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job's captured environment values ({@code captureEnv}) on a cluster: a Secret {@code kinetic-<job id>} in the
 * job's namespace, owned by the Job (so Kubernetes deletes it with the Job: TTL, cleanup, cancel), read by the agent's
 * container through {@code valueFrom.secretKeyRef}, one variable each, never a literal value. The store, the record
 * and the Job's spec hold the names only.
 */
final class CapturedEnvSecret {
    private CapturedEnvSecret() {}

    static String name(JobRecord record) {
        return "kinetic-" + record.id().value();
    }

    /** The Secret holding {@code values}, labelled as Kinetic's and the job's. */
    static Secret of(JobRecord record, String namespace, Map<String, String> values) {
        Map<String, String> data = new TreeMap<>();
        values.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name(record))
                .withNamespace(namespace)
                .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .addToLabels(Labels.JOB_ID, record.id().value())
                .endMetadata()
                .withType("Opaque")
                .withData(data)
                .build();
    }

    /** The same Secret with its values blanked, for dry runs and anything printed. */
    static Secret redacted(JobRecord record, String namespace, Iterable<String> names) {
        Map<String, String> values = new TreeMap<>();
        for (String n : names) {
            values.put(n, "<redacted>");
        }
        Secret s = of(record, namespace, Map.of());
        s.setStringData(values);
        s.setData(null);
        return s;
    }

    /** Makes the agent container read each captured variable from the Secret. */
    static void reference(Job job, JobRecord record, Iterable<String> names) {
        for (Container c : job.getSpec().getTemplate().getSpec().getContainers()) {
            List<EnvVar> env = new ArrayList<>(c.getEnv() == null ? List.of() : c.getEnv());
            for (String n : names) {
                env.add(new EnvVarBuilder()
                        .withName(n)
                        .withNewValueFrom()
                        .withNewSecretKeyRef()
                        .withName(name(record))
                        .withKey(n)
                        .endSecretKeyRef()
                        .endValueFrom()
                        .build());
            }
            c.setEnv(env);
        }
    }

    /** The owner reference that makes the Secret go with its Job. */
    static OwnerReference ownedBy(Job job) {
        return new OwnerReferenceBuilder()
                .withApiVersion("batch/v1")
                .withKind("Job")
                .withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid())
                .withBlockOwnerDeletion(true)
                .withController(false)
                .build();
    }
}
