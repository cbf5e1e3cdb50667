package dev.kinetic.backend.kubernetes;

import dev.kinetic.spi.ClusterSetup;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applies the set-up objects with server-side apply (field manager {@value #FIELD_MANAGER}), idempotently: an object
 * that already has what Kinetic sets is left alone, so a second run changes nothing (not even a resource version).
 * An object the user may not write is reported as {@code forbidden}, with who can apply it instead.
 */
final class ClusterSetupApplier {
    static final String FIELD_MANAGER = "kinetic";

    private final KubernetesClient client;
    private final ClusterInfo cluster;

    ClusterSetupApplier(KubernetesClient client, ClusterInfo cluster) {
        this.client = client;
        this.cluster = cluster;
    }

    List<ClusterSetup.Change> apply(List<HasMetadata> objects) {
        List<ClusterSetup.Change> out = new ArrayList<>();
        for (HasMetadata o : objects) {
            String name = o.getKind() + "/" + o.getMetadata().getName();
            HasMetadata existing = null;
            try {
                existing = client.resource(o).get();
            } catch (KubernetesClientException e) {
                // no right to read it (a namespace, cluster-wide): apply decides
            }
            if (existing != null && hasAll(existing, o)) {
                out.add(new ClusterSetup.Change(name, "unchanged", "already as Kinetic sets it"));
                continue;
            }
            try {
                client.resource(o).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
                out.add(new ClusterSetup.Change(
                        name, existing == null ? "created" : "configured", existing == null ? "" : "updated"));
            } catch (KubernetesClientException e) {
                if (e.getCode() != 403) {
                    throw KubernetesErrors.map(
                            e,
                            "apply",
                            o.getKind().toLowerCase(java.util.Locale.ROOT),
                            o.getMetadata().getNamespace() == null
                                    ? "(cluster)"
                                    : o.getMetadata().getNamespace(),
                            null,
                            cluster);
                }
                out.add(new ClusterSetup.Change(
                        name,
                        "forbidden",
                        "you may not apply it (403); an administrator can: `kinetic setup kubernetes --dry-run -o "
                                + "yaml | kubectl" + cluster.contextFlag() + " apply --server-side -f -`"));
            }
        }
        return out;
    }

    /** Whether {@code existing} has every label, annotation and (for a Role) rule that {@code wanted} sets. */
    private static boolean hasAll(HasMetadata existing, HasMetadata wanted) {
        if (!contains(existing.getMetadata().getLabels(), wanted.getMetadata().getLabels())
                || !contains(
                        existing.getMetadata().getAnnotations(),
                        wanted.getMetadata().getAnnotations())) {
            return false;
        }
        if (wanted instanceof Role role && existing instanceof Role current) {
            return Objects.equals(current.getRules(), role.getRules());
        }
        return true;
    }

    private static boolean contains(Map<String, String> have, Map<String, String> want) {
        if (want == null || want.isEmpty()) {
            return true;
        }
        return have != null && have.entrySet().containsAll(want.entrySet());
    }
}
