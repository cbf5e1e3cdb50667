package dev.kinetic.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinetic.KineticSession;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kinetic setup store --lifecycle}: the bucket lifecycle rule that matches the retention. */
@Command(
        name = "store",
        mixinStandardHelpOptions = true,
        header = "Print the bucket lifecycle rule that expires old job records with the retention.",
        description = {
            "For gs:// and s3:// stores: the rule, as the cloud's own tool applies it (gcloud, aws), expiring the"
                    + " objects under jobs/, groups/, idempotency/ and leases/ older than the retention (--retention,"
                    + " or the `retention` setting).",
            "A rule deletes by age, whatever a job's state; classpaths and data (cas/, data/) are shared across jobs"
                    + " and are collected by `kinetic gc`, which knows what is still used: run it on a schedule too."
                    + " Outputs are never expired."
        })
public final class SetupStoreCommand extends CommandBase {
    /** The prefixes whose objects belong to one job or batch and can go with age. */
    static final List<String> EXPIRING = List.of("jobs/", "groups/", "idempotency/", "leases/");

    @Option(names = "--lifecycle", required = true, description = "Print the lifecycle rule (required).")
    boolean lifecycle;

    @Option(
            names = "--retention",
            paramLabel = "DURATION",
            description = "How long to keep job records, in whole days: 30d (default: the `retention` setting).")
    String retention;

    @Mixin
    OutputOption output;

    @Override
    public Integer call() {
        URI store;
        String configured;
        try (KineticSession kinetic = root().openSession(spec)) {
            store = kinetic.settings().store();
            configured = kinetic.settings().get(GcCommand.RETENTION).orElse(null);
        }
        if (retention == null && configured == null) {
            throw usage("say how long to keep job records: --retention 30d, or set the `retention` setting");
        }
        Duration age;
        try {
            age = DurationText.parse(retention != null ? retention : configured);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        long days = Math.max(1, (age.toHours() + 23) / 24); // lifecycle rules count whole days
        String scheme = store.getScheme();
        String bucket = store.getHost();
        String prefix = store.getPath() == null || store.getPath().length() <= 1
                ? ""
                : store.getPath().substring(1) + (store.getPath().endsWith("/") ? "" : "/");
        String rule;
        String apply;
        switch (scheme) {
            case "gs" -> {
                rule = gcsRule(prefix, days);
                apply = "gcloud storage buckets update gs://" + bucket + " --lifecycle-file=FILE";
            }
            case "s3" -> {
                rule = s3Rule(prefix, days);
                apply = "aws s3api put-bucket-lifecycle-configuration --bucket " + bucket
                        + " --lifecycle-configuration file://FILE";
            }
            default ->
                throw usage("store " + store + " has no lifecycle rules (only gs:// and s3:// buckets do): run "
                        + "`kinetic gc` on a schedule instead");
        }
        Printer p = printer();
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("store", store.toString());
            doc.put("retentionDays", days);
            doc.put("lifecycle", parse(rule));
            doc.put("apply", apply);
            p.json(doc);
        } else {
            p.line(rule);
            p.note("Save it to a file and apply it (it replaces the bucket's rules: merge any you have): " + apply);
        }
        return ExitCodes.OK;
    }

    private static Object parse(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rule for {@code gcloud storage buckets update --lifecycle-file}. */
    static String gcsRule(String prefix, long days) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        ObjectNode rule = doc.putArray("rule").addObject();
        rule.putObject("action").put("type", "Delete");
        ObjectNode condition = rule.putObject("condition").put("age", days);
        ArrayNode prefixes = condition.putArray("matchesPrefix");
        EXPIRING.forEach(e -> prefixes.add(prefix + e));
        return doc.toPrettyString();
    }

    /** The configuration for {@code aws s3api put-bucket-lifecycle-configuration}: one rule per prefix. */
    static String s3Rule(String prefix, long days) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        ArrayNode rules = doc.putArray("Rules");
        for (String e : EXPIRING) {
            ObjectNode rule = rules.addObject();
            rule.put("ID", "kinetic-retention-" + e.replace("/", ""));
            rule.putObject("Filter").put("Prefix", prefix + e);
            rule.put("Status", "Enabled");
            rule.putObject("Expiration").put("Days", days);
        }
        return doc.toPrettyString();
    }
}
