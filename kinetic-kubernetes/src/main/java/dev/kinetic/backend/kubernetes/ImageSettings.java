package dev.kinetic.backend.kubernetes;

import dev.kinetic.KineticException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How the backend gets its runtime image when no {@code image} is set: built (or reused) with kinetic-image and
 * pushed to {@code registry}.
 *
 * @param registry {@code REGISTRY/REPOSITORY} to push to ({@code KINETIC_REGISTRY}), or null: no building
 * @param base the JRE base image ({@code KINETIC_BASE_IMAGE}), or null for kinetic-image's default
 * @param baseGpu the base for GPU jobs ({@code KINETIC_BASE_IMAGE_GPU}), e.g. a CUDA runtime image with a JRE, or
 *     null for {@code base}
 * @param baseTpu the base for TPU jobs ({@code KINETIC_BASE_IMAGE_TPU}), or null for {@code base}
 * @param insecure allow plain HTTP / unverified HTTPS ({@code KINETIC_REGISTRY_INSECURE}), for a local registry
 * @param extraAgentJars store modules and their SDKs for the agent layer ({@code KINETIC_IMAGE_AGENT_JARS}, a
 *     path list whose {@code dir/*} entries mean every jar in {@code dir})
 */
record ImageSettings(
        String registry, String base, String baseGpu, String baseTpu, boolean insecure, List<Path> extraAgentJars) {
    static final String REGISTRY = "registry";
    static final String BASE_IMAGE = "base-image";
    static final String BASE_IMAGE_GPU = "base-image-gpu";
    static final String BASE_IMAGE_TPU = "base-image-tpu";
    static final String REGISTRY_INSECURE = "registry-insecure";
    static final String IMAGE_AGENT_JARS = "image-agent-jars";

    ImageSettings {
        extraAgentJars = List.copyOf(extraAgentJars);
    }

    static ImageSettings from(Map<String, String> resolved, Map<String, String> perJob) {
        Map<String, String> v = new LinkedHashMap<>(resolved);
        v.putAll(perJob);
        String insecure = v.getOrDefault(REGISTRY_INSECURE, "false").trim();
        if (!insecure.matches("true|false")) {
            throw invalid(REGISTRY_INSECURE, insecure, "use true or false");
        }
        return new ImageSettings(
                blankToNull(v.get(REGISTRY)),
                blankToNull(v.get(BASE_IMAGE)),
                blankToNull(v.get(BASE_IMAGE_GPU)),
                blankToNull(v.get(BASE_IMAGE_TPU)),
                Boolean.parseBoolean(insecure),
                jars(v.get(IMAGE_AGENT_JARS)));
    }

    /**
     * The settings for one category of job ({@code cpu}, {@code gpu}, {@code tpu}): its own base when one is set
     * ({@code base-image-gpu}, {@code base-image-tpu}), else {@code base-image}. Each category's image is built and
     * reused on its own (the tag hashes the base).
     */
    ImageSettings forCategory(String kind) {
        String chosen = switch (kind) {
            case "gpu" -> baseGpu != null ? baseGpu : base;
            case "tpu" -> baseTpu != null ? baseTpu : base;
            default -> base;
        };
        return new ImageSettings(registry, chosen, null, null, insecure, extraAgentJars);
    }

    private static List<Path> jars(String raw) {
        List<Path> out = new ArrayList<>();
        if (raw == null || raw.isBlank()) {
            return out;
        }
        for (String part : raw.split(File.pathSeparator)) {
            if (part.isBlank()) {
                continue;
            }
            if (part.endsWith("/*")) {
                Path dir = Path.of(part.substring(0, part.length() - 2));
                try (Stream<Path> files = Files.list(dir)) {
                    files.filter(f -> f.toString().endsWith(".jar")).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw invalid(IMAGE_AGENT_JARS, raw, "cannot list " + dir + " (" + e.getMessage() + ")");
                }
            } else if (Files.isRegularFile(Path.of(part))) {
                out.add(Path.of(part));
            } else {
                throw invalid(
                        IMAGE_AGENT_JARS,
                        raw,
                        part + " is not a jar file; list jars or DIR/* separated by " + File.pathSeparator);
            }
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static KineticException invalid(String name, String value, String fix) {
        String env = "KINETIC_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        return new KineticException(
                "invalid Kubernetes setting " + name + "='" + value + "' (option " + name + " or " + env + "): " + fix);
    }
}
