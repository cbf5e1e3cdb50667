package dev.kinetic.spi.accelerator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.KineticException;
import dev.kinetic.spi.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The accelerators Kinetic knows, kept as data ({@code accelerators.json}) and shared by job specs and the
 * {@code kinetic accelerators} command. Parses the strings users write, case-insensitively, each optionally
 * followed by {@code :spot}:
 * <pre>{@code
 * cpu  cpu:4                      CPU only; N vCPUs asked for
 * gpu  gpu:4                      l4; the most capable GPU that comes in 4s
 * l4  l4x2  a100x4  a100-80gb     a GPU and its count per pod
 * nvidia-l4  nvidia-tesla-a100x4  GKE's node label works as the name
 * tpu  tpu:8                      v5litepod-4; the most capable TPU with an 8-chip slice
 * tpu-v5e-1  v5litepod-4  v6e-8   a TPU and its chips
 * v5litepod-2x4                   a TPU and its topology
 * tpu-v5-lite-podslice            GKE's label: that TPU's default slice
 * }</pre>
 * The {@code gpu-}, {@code gpu:}, {@code tpu-} and {@code tpu:} prefixes are optional before a name.
 */
public final class AcceleratorCatalog {
    private static final Pattern COUNTED = Pattern.compile("(.+?)(?:x(\\d+)|-(\\d+))");
    private static final Pattern TOPOLOGY = Pattern.compile("(.+)-(\\d+x\\d+(?:x\\d+)?)");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,4}");

    private final Map<String, JsonNode> gpus = new LinkedHashMap<>();
    private final Map<String, JsonNode> tpus = new LinkedHashMap<>();
    /** Other names (GKE labels, old spellings) to catalog names, for GPUs and TPUs. */
    private final Map<String, String> gpuAliases = new LinkedHashMap<>();

    private final Map<String, String> tpuAliases = new LinkedHashMap<>();
    private final List<String> gpuOrder = new ArrayList<>();
    private final List<String> tpuOrder = new ArrayList<>();
    private final String defaultGpu;
    private final String defaultTpu;

    private AcceleratorCatalog(JsonNode root) {
        for (JsonNode g : root.path("gpus")) {
            String name = g.path("name").asText();
            gpus.put(name, g);
            gpuAliases.put(g.path("gkeAccelerator").asText(), name);
        }
        for (JsonNode t : root.path("tpus")) {
            String name = t.path("name").asText();
            tpus.put(name, t);
            t.path("aliases").forEach(a -> tpuAliases.put(a.asText(), name));
        }
        root.path("gpuOrder").forEach(n -> gpuOrder.add(n.asText()));
        root.path("tpuOrder").forEach(n -> tpuOrder.add(n.asText()));
        defaultGpu = root.path("defaults").path("gpu").asText();
        defaultTpu = root.path("defaults").path("tpu").asText();
    }

    /** The built-in catalog. */
    public static AcceleratorCatalog builtIn() {
        try (InputStream in = AcceleratorCatalog.class.getResourceAsStream("accelerators.json")) {
            if (in == null) {
                throw new IllegalStateException("accelerators.json is missing from kinetic-core");
            }
            return new AcceleratorCatalog(Json.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the accelerator catalog", e);
        }
    }

    /**
     * Parses an accelerator string.
     *
     * @throws KineticException naming the bad value and listing the valid ones
     */
    public Accelerator parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw invalid(String.valueOf(raw));
        }
        String s = raw.trim().toLowerCase(Locale.ROOT);
        boolean spot = s.endsWith(":spot");
        if (spot) {
            s = s.substring(0, s.length() - ":spot".length());
        }
        Accelerator a = parseBase(s, raw);
        return spot ? a.withSpot() : a;
    }

    private Accelerator parseBase(String s, String raw) {
        switch (s) {
            case "cpu":
                return new Accelerator("cpu", "cpu", 0, null, null, 1, false);
            case "gpu":
                return parseGpu(defaultGpu, raw);
            case "tpu":
                return parseTpu(defaultTpu, raw);
            default:
                break;
        }
        if (s.startsWith("cpu:")) {
            return cpus(s.substring(4), raw);
        }
        if (s.startsWith("gpu:") || s.startsWith("gpu-")) {
            String rest = s.substring(4);
            return NUMBER.matcher(rest).matches() ? mostCapableGpu(Integer.parseInt(rest), raw) : parseGpu(rest, raw);
        }
        if (s.startsWith("tpu:")) {
            String rest = s.substring(4);
            return NUMBER.matcher(rest).matches() ? mostCapableTpu(Integer.parseInt(rest), raw) : parseTpu(rest, raw);
        }
        if (s.contains(":")) {
            throw invalid(raw);
        }
        Accelerator tpu = tryTpu(s, raw);
        if (tpu != null) {
            return tpu;
        }
        if (s.startsWith("tpu-")) {
            return parseTpu(s.substring(4), raw);
        }
        return parseGpu(s, raw);
    }

    private Accelerator cpus(String n, String raw) {
        if (!NUMBER.matcher(n).matches() || Integer.parseInt(n) == 0) {
            throw new KineticException(
                    "accelerator '" + raw + "': cpu:N asks for N vCPUs, a whole number from 1, " + "e.g. cpu:4");
        }
        return new Accelerator("cpu", "cpu", Integer.parseInt(n), null, null, 1, false);
    }

    private Accelerator parseGpu(String s, String raw) {
        String name = gpuName(s);
        int count = 1;
        if (name == null) {
            Matcher m = COUNTED.matcher(s);
            if (!m.matches() || gpuName(m.group(1)) == null) {
                throw invalid(raw);
            }
            name = gpuName(m.group(1));
            count = Integer.parseInt(m.group(2) != null ? m.group(2) : m.group(3));
        }
        JsonNode g = gpus.get(name);
        for (JsonNode machine : g.path("machines")) {
            if (machine.path("count").asInt() == count) {
                return new Accelerator(
                        "gpu", name, count, g.path("gkeAccelerator").asText(), null, 1, false, machine(machine));
            }
        }
        throw new KineticException("accelerator '" + raw + "': " + name + " comes in counts of "
                + counts(g).toString().replace(" ", "") + " per pod, not " + count);
    }

    private String gpuName(String s) {
        return gpus.containsKey(s) ? s : gpuAliases.get(s);
    }

    /** A TPU named by {@code s} (with or without {@code tpu-}), or null when {@code s} names no TPU. */
    private Accelerator tryTpu(String s, String raw) {
        String name = tpuName(s);
        if (name != null) {
            return tpuSlice(raw, name, tpus.get(name).path("defaultChips").asInt(), null);
        }
        Matcher topology = TOPOLOGY.matcher(s);
        if (topology.matches() && tpuName(topology.group(1)) != null) {
            return tpuSlice(raw, tpuName(topology.group(1)), 0, topology.group(2));
        }
        Matcher counted = COUNTED.matcher(s);
        if (counted.matches() && tpuName(counted.group(1)) != null && counted.group(3) != null) {
            return tpuSlice(raw, tpuName(counted.group(1)), Integer.parseInt(counted.group(3)), null);
        }
        return null;
    }

    private Accelerator parseTpu(String s, String raw) {
        Accelerator a = tryTpu(s, raw);
        if (a == null) {
            throw invalid(raw);
        }
        return a;
    }

    private String tpuName(String s) {
        if (tpus.containsKey(s)) {
            return s;
        }
        String alias = tpuAliases.get(s);
        return alias != null ? alias : s.startsWith("tpu-") ? tpuName(s.substring(4)) : null;
    }

    /** The slice of TPU {@code tpu} with {@code chips} chips (or that {@code topology}), or an error listing them. */
    private Accelerator tpuSlice(String raw, String tpu, int chips, String topology) {
        JsonNode t = tpus.get(tpu);
        for (JsonNode slice : t.path("slices")) {
            boolean match = topology != null
                    ? slice.path("topology").asText().equals(topology)
                    : slice.path("chips").asInt() == chips;
            if (match) {
                return new Accelerator(
                        "tpu",
                        tpu,
                        slice.path("chips").asInt(),
                        slice.path("gkeAccelerator")
                                .asText(t.path("gkeAccelerator").asText()),
                        slice.path("topology").asText(),
                        slice.path("hosts").asInt(1),
                        false,
                        machine(slice));
            }
        }
        List<String> valid = new ArrayList<>();
        t.path("slices")
                .forEach(sl -> valid.add(
                        sl.path("chips").asInt() + " (" + sl.path("topology").asText() + ")"));
        throw new KineticException("accelerator '" + raw + "': TPU " + tpu + " slices have " + String.join(", ", valid)
                + " chips, not " + (topology != null ? topology : chips) + " (e.g. tpu-" + tpu + "-"
                + t.path("slices").path(0).path("chips").asInt() + ")");
    }

    /** {@code gpu:N}: the first type in the catalog's order that comes in counts of N. */
    private Accelerator mostCapableGpu(int n, String raw) {
        for (String name : gpuOrder) {
            if (counts(gpus.get(name)).contains(n)) {
                return parseGpu(name + "x" + n, raw);
            }
        }
        throw new KineticException("accelerator '" + raw + "': no GPU comes in counts of " + n + " per pod; "
                + "GPUs come in 1, 2, 4, 8 or 16 (a100). See `kinetic accelerators`.");
    }

    /** {@code tpu:N}: the first type in the catalog's order that has an N-chip slice. */
    private Accelerator mostCapableTpu(int n, String raw) {
        for (String name : tpuOrder) {
            for (JsonNode slice : tpus.get(name).path("slices")) {
                if (slice.path("chips").asInt() == n) {
                    return tpuSlice(raw, name, n, null);
                }
            }
        }
        throw new KineticException("accelerator '" + raw + "': no TPU has a slice of " + n + " chips. See `kinetic "
                + "accelerators` for the slice sizes.");
    }

    /** Every accelerator name with its kind, counts, aliases and machines, for listings. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        out.add(new Entry("cpu", "cpu", List.of(0), null, Map.of(), List.of("cpu:N"), Map.of()));
        gpus.forEach((name, g) -> {
            Map<String, String> machines = new LinkedHashMap<>();
            g.path("machines").forEach(m -> machines.put(m.path("count").asText(), describe(m)));
            out.add(new Entry(
                    name,
                    "gpu",
                    counts(g),
                    g.path("gkeAccelerator").asText(),
                    Map.of(),
                    List.of(g.path("gkeAccelerator").asText()),
                    machines));
        });
        tpus.forEach((name, t) -> {
            List<Integer> counts = new ArrayList<>();
            Map<String, String> topologies = new LinkedHashMap<>();
            Map<String, String> machines = new LinkedHashMap<>();
            t.path("slices").forEach(sl -> {
                String chips = sl.path("chips").asText();
                counts.add(sl.path("chips").asInt());
                int hosts = sl.path("hosts").asInt(1);
                String label = sl.path("gkeAccelerator").asText("");
                topologies.put(
                        chips,
                        sl.path("topology").asText()
                                + (hosts > 1 ? " (" + hosts + " hosts)" : "")
                                + (label.isEmpty() ? "" : " (" + label + ")"));
                machines.put(chips, describe(sl) + (hosts > 1 ? " x" + hosts : ""));
            });
            List<String> aliases = new ArrayList<>();
            t.path("aliases").forEach(a -> aliases.add(a.asText()));
            out.add(new Entry(name, "tpu", counts, t.path("gkeAccelerator").asText(), topologies, aliases, machines));
        });
        return out;
    }

    /**
     * One catalog row.
     *
     * @param name catalog name
     * @param kind cpu, gpu or tpu
     * @param counts valid counts (GPUs per pod, TPU chips)
     * @param gkeAccelerator the GKE node label value (for v3, the multi-host one; single-host v3 is
     *     {@code tpu-v3-device})
     * @param topologies for TPUs: chips to topology
     * @param aliases other names that parse to this row (GKE labels, older spellings)
     * @param machines count or chips to the machine type, vCPUs and memory of one node
     */
    public record Entry(
            String name,
            String kind,
            List<Integer> counts,
            String gkeAccelerator,
            Map<String, String> topologies,
            List<String> aliases,
            Map<String, String> machines) {}

    private static Accelerator.Machine machine(JsonNode m) {
        return new Accelerator.Machine(
                m.path("machineType").asText(),
                m.path("vcpus").asInt(),
                m.path("memoryGb").asInt());
    }

    private static String describe(JsonNode m) {
        return m.path("machineType").asText() + " (" + m.path("vcpus").asInt() + " vCPU, "
                + m.path("memoryGb").asInt() + " GB)";
    }

    private static List<Integer> counts(JsonNode gpu) {
        List<Integer> counts = new ArrayList<>();
        gpu.path("machines").forEach(m -> counts.add(m.path("count").asInt()));
        return counts;
    }

    private KineticException invalid(String raw) {
        List<String> names = new ArrayList<>(List.of("cpu[:N]", "gpu[:N]", "tpu[:N]"));
        gpus.keySet().forEach(g -> names.add(g + "[xN]"));
        tpus.keySet().forEach(t -> names.add("tpu-" + t + "-N"));
        return new KineticException("unknown accelerator '" + raw + "'; valid: " + String.join(", ", names)
                + " (GKE labels such as nvidia-l4 work too; append :spot for spot capacity), e.g. cpu, l4, a100x4, "
                + "tpu-v5e-1. See `kinetic accelerators`.");
    }
}
