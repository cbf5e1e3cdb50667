package dev.kinetic.cli;

import dev.kinetic.spi.Backend;
import dev.kinetic.spi.Backends;
import dev.kinetic.spi.Preflight;
import dev.kinetic.spi.Preflight.Check;
import dev.kinetic.spi.config.Settings;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.BlobStores;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The checks of {@code kinetic doctor}: the backend's own ({@link Preflight}: kubeconfig, cluster, namespace, RBAC,
 * service account, registry, accelerator nodes) and the store's, which this machine must be able to write, read
 * and delete. Also run by {@code submit} when the cluster refuses it (401, 403, 404).
 */
final class Doctor {
    private Doctor() {}

    /**
     * The JSON document: {@code {"ok": bool, "checks": [{"name", "status", "detail", "fix"}]}}.
     *
     * @param ok whether no check failed
     */
    record Report(boolean ok, List<Check> checks) {
        long count(Preflight.Status status) {
            return checks.stream().filter(c -> c.status() == status).count();
        }

        /** {@code 6 pass, 1 warn, 1 fail (rbac)}. */
        String summary() {
            List<String> failed = checks.stream()
                    .filter(c -> c.status() == Preflight.Status.FAIL)
                    .map(Check::name)
                    .toList();
            return count(Preflight.Status.PASS) + " pass, " + count(Preflight.Status.WARN) + " warn, " + failed.size()
                    + " fail" + (failed.isEmpty() ? "" : " (" + String.join(", ", failed) + ")");
        }
    }

    static Report run(Settings settings, String accelerator) {
        List<Check> checks = new ArrayList<>();
        try (Backend backend = Backends.create(settings.backend(), settings)) {
            if (backend instanceof Preflight preflight) {
                checks.addAll(preflight.preflight(settings.store().toString(), accelerator));
            } else {
                checks.add(Check.pass("backend", "the " + settings.backend() + " backend needs no cluster set-up"));
            }
        } catch (RuntimeException e) {
            checks.add(Check.fail("backend", e.getMessage(), "kinetic config show"));
        }
        // The store goes before the registry, as the list in kinetic-cli/README.md has it.
        int at = checks.size();
        for (int i = 0; i < checks.size(); i++) {
            if (checks.get(i).name().equals("registry")) {
                at = i;
            }
        }
        checks.add(at, store(settings));
        boolean ok = checks.stream().noneMatch(c -> c.status() == Preflight.Status.FAIL);
        return new Report(ok, checks);
    }

    /** A write, a read and a delete of a probe object, from this machine. */
    static Check store(Settings settings) {
        URI uri = settings.store();
        String key = "doctor/probe-" + UUID.randomUUID();
        byte[] probe = ("kinetic doctor " + key).getBytes(StandardCharsets.UTF_8);
        try (BlobStore store = BlobStores.open(uri, settings.environment())) {
            store.put(key, probe);
            byte[] read = store.get(key).orElse(null);
            boolean deleted = store.delete(key);
            if (read == null || !Arrays.equals(read, probe) || !deleted) {
                return Check.fail(
                        "store",
                        uri + " took a write but "
                                + (read == null
                                        ? "did not return it"
                                        : deleted ? "returned other " + "bytes" : "did not delete it"),
                        fix(uri));
            }
            return Check.pass("store", uri + " takes a write, a read and a delete from this machine");
        } catch (RuntimeException e) {
            return Check.fail("store", "cannot write, read and delete in " + uri + ": " + e.getMessage(), fix(uri));
        }
    }

    private static String fix(URI uri) {
        return switch (String.valueOf(uri.getScheme())) {
            case "gs" ->
                "gcloud storage buckets add-iam-policy-binding gs://" + uri.getHost()
                        + " --member user:YOU --role roles/storage.objectUser (and `gcloud auth application-default "
                        + "login`)";
            case "s3" -> "check AWS_PROFILE / AWS credentials and the bucket policy of s3://" + uri.getHost();
            default -> "make " + uri.getPath() + " writable, or set KINETIC_STORE to another store";
        };
    }
}
