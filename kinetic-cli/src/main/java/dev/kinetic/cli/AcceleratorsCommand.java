package dev.kinetic.cli;

import dev.kinetic.spi.Backend;
import dev.kinetic.spi.Backends;
import dev.kinetic.spi.Preflight;
import dev.kinetic.spi.accelerator.AcceleratorCatalog;
import dev.kinetic.spi.config.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kinetic accelerators}: the catalog that --accelerator and job specs use. */
@Command(
        name = "accelerators",
        mixinStandardHelpOptions = true,
        header = "List the accelerators a job can ask for, with the Kubernetes node selectors they map to.",
        description = {
            "Write NAME for one device, NAMExN for N GPUs per pod (a100x4), tpu-NAME-N for an N-chip TPU "
                    + "slice (tpu-v5e-4) or tpu-NAME-TOPOLOGY (v5litepod-2x4); an alias (a GKE label such as "
                    + "nvidia-l4) works as the name. gpu and tpu are l4 and v5litepod-4; gpu:N and tpu:N the most "
                    + "capable type with N; cpu:N asks for N vCPUs. Case does not matter; append :spot for spot "
                    + "capacity.",
            "TPU jobs also select cloud.google.com/gke-tpu-topology=TOPOLOGY for their slice size.",
            "With -o json: an array of {name, kind, counts, selectors, topologies (chips to topology), aliases, "
                    + "machines (count to the node's machine type), live (with --live: whether a node of the cluster "
                    + "carries its label; else null)}."
        })
public final class AcceleratorsCommand extends CommandBase {
    /** GKE's node labels, as the Kubernetes backend sets them (DESIGN.md section 6). */
    static final String GPU_LABEL = "cloud.google.com/gke-accelerator";

    static final String TPU_LABEL = "cloud.google.com/gke-tpu-accelerator";

    @Mixin
    OutputOption output;

    @Option(
            names = "--live",
            description =
                    "Ask the cluster (the kubernetes backend) which accelerators it has nodes for, and mark them.")
    boolean live;

    /** One catalog row as printed; field names are part of the JSON contract. */
    record Row(
            String name,
            String kind,
            List<Integer> counts,
            Map<String, String> selectors,
            Map<String, String> topologies,
            List<String> aliases,
            Map<String, String> machines,
            Boolean live) {}

    @Override
    public Integer call() {
        List<Map<String, String>> nodes = live ? nodeLabels() : null;
        List<Row> rows = new ArrayList<>();
        for (AcceleratorCatalog.Entry e : AcceleratorCatalog.builtIn().entries()) {
            Map<String, String> selectors = new LinkedHashMap<>();
            if (e.kind().equals("gpu")) {
                selectors.put(GPU_LABEL, e.gkeAccelerator());
            } else if (e.kind().equals("tpu")) {
                // The topology selector depends on the slice size: see topologies.
                selectors.put(TPU_LABEL, e.gkeAccelerator());
            }
            rows.add(new Row(
                    e.name(),
                    e.kind(),
                    e.counts(),
                    selectors,
                    e.topologies(),
                    e.aliases(),
                    e.machines(),
                    nodes == null ? null : hasNodes(e, nodes)));
        }
        Printer p = printer();
        if (output.json()) {
            p.json(rows);
            return ExitCodes.OK;
        }
        Table table = live
                ? new Table(
                        "NAME",
                        "KIND",
                        "COUNTS",
                        "ALIASES",
                        "NODE SELECTOR",
                        "TPU TOPOLOGIES (chips:topology)",
                        "NODES")
                : new Table("NAME", "KIND", "COUNTS", "ALIASES", "NODE SELECTOR", "TPU TOPOLOGIES (chips:topology)");
        for (Row r : rows) {
            String counts = r.kind().equals("cpu")
                    ? "-"
                    : r.counts().stream().map(String::valueOf).collect(Collectors.joining(","));
            String selectors = r.selectors().isEmpty()
                    ? "-"
                    : r.selectors().entrySet().stream()
                            .map(s -> s.getKey() + "=" + s.getValue())
                            .collect(Collectors.joining(","));
            String topologies = r.topologies().isEmpty()
                    ? "-"
                    : r.topologies().entrySet().stream()
                            .map(t -> t.getKey() + ":" + t.getValue().replace(" ", ""))
                            .collect(Collectors.joining(" "));
            String aliases = r.aliases().isEmpty() ? "-" : String.join(",", r.aliases());
            if (live) {
                table.row(r.name(), r.kind(), counts, aliases, selectors, topologies, r.live() ? "yes" : "-");
            } else {
                table.row(r.name(), r.kind(), counts, aliases, selectors, topologies);
            }
        }
        p.table(table);
        return ExitCodes.OK;
    }

    /** The cluster's node labels, from a backend that can list them. */
    private List<Map<String, String>> nodeLabels() {
        Settings settings = root().settings(spec);
        try (Backend backend = Backends.create(settings.backend(), settings)) {
            if (!(backend instanceof Preflight preflight)) {
                throw usage("--live asks the cluster: use it with the kubernetes backend (--backend kubernetes)");
            }
            return preflight.nodeLabels();
        }
    }

    /** Whether a node carries the row's GKE label (for TPUs, that of any of its slices: v3 has two). */
    static boolean hasNodes(AcceleratorCatalog.Entry e, List<Map<String, String>> nodes) {
        if (e.kind().equals("cpu")) {
            return !nodes.isEmpty();
        }
        String key = e.kind().equals("gpu") ? GPU_LABEL : TPU_LABEL;
        for (Map<String, String> labels : nodes) {
            String value = labels.get(key);
            if (value != null
                    && (value.equals(e.gkeAccelerator()) || e.aliases().contains(value))) {
                return true;
            }
        }
        return false;
    }
}
