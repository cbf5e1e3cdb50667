package dev.kinetic.backend.kubernetes;

import dev.kinetic.spi.LiveState;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What happens to a PENDING job on each look: its Events refine the reason ({@link PendingReasons}), and once it
 * has been pending for {@code pending-timeout} for a reason that waiting does not heal, its Job is deleted and the
 * job ends as FAILED with that reason ({@link LiveState#abandoned}; the core records it in the store, so the
 * reason outlives the Job). A scale-up in progress never ends a job.
 */
final class PendingJobs {
    private final KubernetesClient client;

    PendingJobs(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @param mapped what the Job and pods alone say (PENDING)
     * @param pendingTimeoutSeconds the setting; 0 never ends a job
     */
    LiveState refine(String namespace, Job job, List<Pod> pods, LiveState mapped, int pendingTimeoutSeconds) {
        return refine(namespace, job, pods, mapped, pendingTimeoutSeconds, null);
    }

    /**
     * @param namespaceEvents every Event of the namespace when the caller listed them once for many jobs, or null
     *     to ask for this job's
     */
    LiveState refine(
            String namespace,
            Job job,
            List<Pod> pods,
            LiveState mapped,
            int pendingTimeoutSeconds,
            List<Event> namespaceEvents) {
        Pod explained = pods.stream()
                .max(Comparator.comparing(
                        (Pod p) -> String.valueOf(p.getMetadata().getCreationTimestamp())))
                .orElse(null);
        String prefix = "";
        String mappedReason = mapped.reason();
        int hosts = gangHosts(job);
        if (hosts > 1) {
            // A gang waits for the host GangState names, not for the newest pod; its reason keeps the count.
            Optional<GangState.Waiting> waiting = GangState.waiting(pods, hosts);
            if (waiting.isPresent()) {
                explained = waiting.get().pod();
                prefix = waiting.get().prefix();
                if (mappedReason != null && mappedReason.startsWith(prefix)) {
                    mappedReason = mappedReason.substring(prefix.length());
                }
            }
        }
        List<Event> events;
        try {
            events = namespaceEvents != null
                    ? select(namespaceEvents, job, explained)
                    : events(namespace, job, explained);
        } catch (KubernetesClientException e) {
            return mapped; // no permission to list events, or a blip: the pod's own status still says a lot
        }
        PendingReasons.Pending pending = PendingReasons.explain(mappedReason, explained, events);
        String explanation = prefix + pending.reason();
        Duration age = age(job);
        if (pending.heals() || pendingTimeoutSeconds <= 0 || age == null || age.toSeconds() < pendingTimeoutSeconds) {
            return LiveState.pending(explanation);
        }
        String reason = "pending for more than " + pendingTimeoutSeconds + " s (pending-timeout): " + explanation + "; "
                + delete(namespace, job);
        return LiveState.abandoned(reason);
    }

    /** The hosts of a multi-host job's Indexed Job; 1 for any other Job. */
    private static int gangHosts(Job job) {
        if (job.getSpec() == null
                || !"Indexed".equals(job.getSpec().getCompletionMode())
                || job.getSpec().getCompletions() == null) {
            return 1;
        }
        return job.getSpec().getCompletions();
    }

    /** The Events of the Job and of its newest pod, each listed by name (the API server filters; others may not). */
    private List<Event> events(String namespace, Job job, Pod pod) {
        List<Event> out =
                new ArrayList<>(eventsOf(namespace, "Job", job.getMetadata().getName()));
        if (pod != null) {
            out.addAll(eventsOf(namespace, "Pod", pod.getMetadata().getName()));
        }
        return out;
    }

    private List<Event> eventsOf(String namespace, String kind, String name) {
        List<Event> listed = client.v1()
                .events()
                .inNamespace(namespace)
                .withField("involvedObject.name", name)
                .list()
                .getItems();
        // Checked here too: a server that ignores the field selector returns the namespace's events.
        List<Event> out = new ArrayList<>();
        for (Event e : listed) {
            if (about(e, kind, name)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The namespace's Events of {@code job} and {@code pod}. */
    private static List<Event> select(List<Event> all, Job job, Pod pod) {
        List<Event> out = new ArrayList<>();
        for (Event e : all) {
            if (about(e, "Job", job.getMetadata().getName())
                    || (pod != null && about(e, "Pod", pod.getMetadata().getName()))) {
                out.add(e);
            }
        }
        return out;
    }

    /** Every Event of a namespace, for {@link #refine} of many jobs at once (one call instead of two per job). */
    List<Event> namespaceEvents(String namespace) {
        return client.v1().events().inNamespace(namespace).list().getItems();
    }

    private static boolean about(Event e, String kind, String name) {
        return e.getInvolvedObject() != null
                && name.equals(e.getInvolvedObject().getName())
                && kind.equals(e.getInvolvedObject().getKind());
    }

    /** Deletes the Job without waiting (its pod never ran the agent); says what happened, for the reason. */
    private String delete(String namespace, Job job) {
        try {
            client.batch()
                    .v1()
                    .jobs()
                    .inNamespace(namespace)
                    .withName(job.getMetadata().getName())
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                    .delete();
            return "Kinetic deleted the Job";
        } catch (KubernetesClientException e) {
            return "Kinetic could not delete the Job (" + e.getMessage() + "); `kinetic jobs cleanup` removes it";
        }
    }

    private static Duration age(Job job) {
        String created = job.getMetadata().getCreationTimestamp();
        if (created == null) {
            return null;
        }
        try {
            return Duration.between(Instant.parse(created), Instant.now());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
