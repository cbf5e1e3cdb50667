package dev.kinetic.cli;

import dev.kinetic.KineticException;
import dev.kinetic.spi.Backend;
import dev.kinetic.spi.Backends;
import dev.kinetic.spi.ClusterSetup;
import dev.kinetic.spi.config.Profiles;
import dev.kinetic.spi.config.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kinetic setup kubernetes}: the namespace, the pods' service account and the submitter's Role. */
@Command(
        name = "kubernetes",
        mixinStandardHelpOptions = true,
        header = "Create or update the namespace, service account and Role that jobs need, idempotently.",
        description = {
            "Applies, with server-side apply: the namespace; the pods' service account (annotated for Workload "
                    + "Identity with --gcp-service-account); the Role kinetic-submitter with what a submitting user "
                    + "needs. What already matches is left unchanged, so running it again changes nothing. An object "
                    + "you may not write is reported as forbidden, with the command an administrator can run.",
            "Then prints what Kinetic cannot do itself (the gcloud command that lets the service account act as the "
                    + "Google one, the bucket role that account needs, the RoleBinding for each submitting user), and "
                    + "makes the service account and namespace the active profile's service-account and namespace "
                    + "(a profile named default is created and made active when none is).",
            "With --dry-run: prints the objects (-o yaml, the default, or a JSON List with -o json) and changes "
                    + "nothing; the commands to run go to stderr.",
            "Exit code 0, or 1 when an object was forbidden."
        })
public final class SetupKubernetesCommand extends CommandBase {
    @Option(
            names = "--namespace",
            paramLabel = "NS",
            description = "The namespace jobs run in (default: the " + "namespace setting, else default).")
    String namespace;

    @Option(
            names = "--service-account",
            paramLabel = "NAME",
            defaultValue = "kinetic",
            description = "The pods' Kubernetes service account (default: kinetic).")
    String serviceAccount;

    @Option(
            names = "--gcp-service-account",
            paramLabel = "GSA",
            description = "The Google service account the pods act as (Workload Identity), e.g. "
                    + "trainer@my-project.iam.gserviceaccount.com.")
    String gcpServiceAccount;

    @Option(names = "--dry-run", description = "Print the objects; change nothing.")
    boolean dryRun;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            description = "table (default) or json; with --dry-run: yaml (default) or json.")
    String format;

    @Override
    public Integer call() {
        String f = outputFormat();
        Settings settings = root().settings(spec);
        String ns = namespace != null ? namespace : settings.get("namespace").orElse("default");
        ClusterSetup.Request request = new ClusterSetup.Request(
                ns, serviceAccount, gcpServiceAccount, settings.store().toString());
        Printer p = printer();
        try (Backend backend = Backends.create("kubernetes", settings)) {
            if (!(backend instanceof ClusterSetup setup)) {
                throw new KineticException("the kubernetes backend on the classpath cannot set up a cluster");
            }
            ClusterSetup.Plan plan;
            try {
                plan = setup.plan(request);
            } catch (KineticException e) {
                throw usage(e.getMessage());
            }
            if (dryRun) {
                printObjects(p, plan.objects(), f);
                for (String step : plan.steps()) {
                    p.note("# then: " + step);
                }
                return ExitCodes.OK;
            }
            List<ClusterSetup.Change> changes = setup.apply(request);
            String profile = rememberInProfile(settings, ns);
            print(p, f, changes, plan.steps(), profile);
            return changes.stream().anyMatch(c -> c.action().equals("forbidden")) ? ExitCodes.FAILED : ExitCodes.OK;
        }
    }

    private static void printObjects(Printer p, List<Map<String, Object>> objects, String f) {
        if (f.equals("json")) {
            p.json(Manifests.list(objects));
        } else {
            p.out().print(Manifests.yaml(objects));
            p.out().flush();
        }
    }

    private static void print(
            Printer p, String f, List<ClusterSetup.Change> changes, List<String> steps, String profile) {
        if (f.equals("json")) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("changes", changes);
            doc.put("steps", steps);
            doc.put("profile", profile);
            p.json(doc);
            return;
        }
        Table table = new Table("OBJECT", "ACTION", "DETAIL");
        for (ClusterSetup.Change c : changes) {
            table.row(c.object(), c.action(), c.detail().isEmpty() ? "-" : c.detail());
        }
        p.table(table);
        p.line("");
        p.line("Kinetic cannot do these; run them (or ask someone who may):");
        for (String step : steps) {
            p.line("  " + step);
        }
        p.note("kinetic: profile " + profile + " now uses this service account and namespace");
    }

    /** The active profile (or a new one named default) gets the service account and namespace. */
    private String rememberInProfile(Settings settings, String ns) {
        Profiles profiles = new Profiles(root().homeDirectory().resolve("profiles.json"));
        String name = settings.profile() != null ? settings.profile() : "default";
        Map<String, String> values = new LinkedHashMap<>(profiles.get(name).orElse(Map.of()));
        values.put("service-account", serviceAccount);
        values.put("namespace", ns);
        profiles.put(name, values);
        if (settings.profile() == null) {
            profiles.use(name);
        }
        return name;
    }

    private String outputFormat() {
        String f = format == null ? (dryRun ? "yaml" : "table") : format.toLowerCase(Locale.ROOT);
        boolean valid = dryRun ? f.equals("yaml") || f.equals("json") : f.equals("table") || f.equals("json");
        if (!valid) {
            throw usage("-o " + format + ": "
                    + (dryRun ? "a dry run prints yaml or json" : "use table or json (" + "yaml is for --dry-run)"));
        }
        return f;
    }
}
