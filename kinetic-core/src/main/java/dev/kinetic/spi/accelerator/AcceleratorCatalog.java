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
 * {@code kinetic accelerators} command. Parses the strings users write:
 * <pre>{@code
 * cpu   l4   l4x2   a100x4   a100-80gb   tpu-v5e-1   v5litepod-4   v6e-8   l4:spot
 * }</pre>
 */
public final class AcceleratorCatalog {
    private static final Pattern COUNTED = Pattern.compile("(.+?)(?:x(\\d+)|-(\\d+))");

    private final Map<String, JsonNode> gpus = new LinkedHashMap<>();
    private final Map<String, JsonNode> tpus = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();

    private AcceleratorCatalog(JsonNode root) {
        for (JsonNode g : root.path("gpus")) {
            gpus.put(g.path("name").asText(), g);
        }
        for (JsonNode t : root.path("tpus")) {
            String name = t.path("name").asText();
            tpus.put(name, t);
            for (JsonNode a : t.path("aliases")) {
                aliases.put(a.asText(), name);
            }
        }
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
        boolean spot = false;
        if (s.endsWith(":spot")) {
            spot = true;
            s = s.substring(0, s.length() - ":spot".length());
        } else if (s.contains(":")) {
            throw invalid(raw);
        }
        if (s.equals("cpu")) {
            return new Accelerator("cpu", "cpu", 0, null, null, 1, spot);
        }
        boolean tpuPrefix = s.startsWith("tpu-");
        if (tpuPrefix) {
            s = s.substring(4);
        }
        String name = s;
        Integer count = null;
        if (!gpus.containsKey(s) && !tpus.containsKey(canonicalTpu(s))) {
            Matcher m = COUNTED.matcher(s);
            if (!m.matches()) {
                throw invalid(raw);
            }
            name = m.group(1);
            count = Integer.parseInt(m.group(2) != null ? m.group(2) : m.group(3));
        }
        if (!tpuPrefix && gpus.containsKey(name)) {
            JsonNode g = gpus.get(name);
            int n = count == null ? 1 : count;
            if (!contains(g.path("counts"), n)) {
                throw new KineticException("accelerator '" + raw + "': " + name + " comes in counts of "
                        + g.path("counts") + " per pod, not " + n);
            }
            return new Accelerator("gpu", name, n, g.path("gkeAccelerator").asText(), null, 1, spot);
        }
        String tpu = canonicalTpu(name);
        if (tpus.containsKey(tpu)) {
            return tpuSlice(raw, tpu, count == null ? 1 : count, spot);
        }
        throw invalid(raw);
    }

    /** The slice of TPU {@code tpu} with {@code chips} chips, or an error listing the slice sizes there are. */
    private Accelerator tpuSlice(String raw, String tpu, int chips, boolean spot) {
        JsonNode t = tpus.get(tpu);
        for (JsonNode slice : t.path("slices")) {
            if (slice.path("chips").asInt() == chips) {
                return new Accelerator(
                        "tpu",
                        tpu,
                        chips,
                        t.path("gkeAccelerator").asText(),
                        slice.path("topology").asText(),
                        slice.path("hosts").asInt(1),
                        spot);
            }
        }
        List<Integer> valid = new ArrayList<>();
        t.path("slices").forEach(sl -> valid.add(sl.path("chips").asInt()));
        throw new KineticException("accelerator '" + raw + "': TPU " + tpu + " slices have " + valid + " chips, not "
                + chips + " (e.g. tpu-" + tpu + "-" + valid.get(0) + ")");
    }

    /** Every accelerator name with its kind and counts, for listings. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        out.add(new Entry("cpu", "cpu", List.of(0), null, Map.of()));
        gpus.forEach((name, g) -> {
            List<Integer> counts = new ArrayList<>();
            g.path("counts").forEach(c -> counts.add(c.asInt()));
            out.add(new Entry(name, "gpu", counts, g.path("gkeAccelerator").asText(), Map.of()));
        });
        tpus.forEach((name, t) -> {
            List<Integer> counts = new ArrayList<>();
            Map<String, String> topologies = new LinkedHashMap<>();
            t.path("slices").forEach(sl -> {
                counts.add(sl.path("chips").asInt());
                topologies.put(
                        String.valueOf(sl.path("chips").asInt()),
                        sl.path("topology").asText()
                                + (sl.path("hosts").asInt(1) > 1
                                        ? " (" + sl.path("hosts").asInt() + " hosts)"
                                        : ""));
            });
            out.add(new Entry(name, "tpu", counts, t.path("gkeAccelerator").asText(), topologies));
        });
        return out;
    }

    /**
     * One catalog row.
     *
     * @param name catalog name
     * @param kind cpu, gpu or tpu
     * @param counts valid counts (GPUs per pod, TPU chips)
     * @param gkeAccelerator the GKE node label value
     * @param topologies for TPUs: chips to topology
     */
    public record Entry(
            String name, String kind, List<Integer> counts, String gkeAccelerator, Map<String, String> topologies) {}

    private String canonicalTpu(String name) {
        return aliases.getOrDefault(name, name);
    }

    private static boolean contains(JsonNode array, int n) {
        for (JsonNode c : array) {
            if (c.asInt() == n) {
                return true;
            }
        }
        return false;
    }

    private KineticException invalid(String raw) {
        List<String> names = new ArrayList<>(List.of("cpu"));
        gpus.keySet().forEach(g -> names.add(g + "[xN]"));
        tpus.keySet().forEach(t -> names.add("tpu-" + t + "-N"));
        return new KineticException("unknown accelerator '" + raw + "'; valid: " + String.join(", ", names)
                + " (append :spot for spot capacity), e.g. cpu, l4, a100x4, tpu-v5e-1. See `kinetic accelerators`.");
    }
}
