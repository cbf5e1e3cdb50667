package dev.kinetic.spi.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinetic.KineticException;
import dev.kinetic.spi.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Named sets of settings in {@code $KINETIC_HOME/profiles.json}:
 * <pre>{@code {"active": "gke", "profiles": {"gke": {"backend": "kubernetes", "store": "gs://b"}}}}</pre>
 * Writes go to a temporary file renamed into place.
 */
public final class Profiles {
    private final Path file;

    public Profiles(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The active profile's name, if one is set. */
    public Optional<String> active() {
        JsonNode active = read().get("active");
        return active == null || active.isNull() ? Optional.empty() : Optional.of(active.asText());
    }

    /** One profile's settings. */
    public Optional<Map<String, String>> get(String name) {
        JsonNode p = read().path("profiles").get(name);
        if (p == null || !p.isObject()) {
            return Optional.empty();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
            var e = it.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return Optional.of(out);
    }

    /** Every profile by name. */
    public Map<String, Map<String, String>> all() {
        Map<String, Map<String, String>> out = new TreeMap<>();
        read().path("profiles").fieldNames().forEachRemaining(n -> out.put(n, get(n).orElseThrow()));
        return out;
    }

    /** Creates or replaces a profile. */
    public void put(String name, Map<String, String> settings) {
        validateName(name);
        ObjectNode root = read();
        ObjectNode profiles = root.has("profiles") ? (ObjectNode) root.get("profiles") : root.putObject("profiles");
        ObjectNode p = profiles.putObject(name);
        settings.forEach(p::put);
        write(root);
    }

    /** Makes {@code name} the active profile ({@code null} clears it). */
    public void use(String name) {
        ObjectNode root = read();
        if (name == null) {
            root.remove("active");
        } else {
            if (get(name).isEmpty()) {
                throw new KineticException(
                        "profile '" + name + "' does not exist; list them with `kinetic profile ls`");
            }
            root.put("active", name);
        }
        write(root);
    }

    /** Removes a profile; returns whether it existed. */
    public boolean remove(String name) {
        ObjectNode root = read();
        JsonNode profiles = root.get("profiles");
        if (profiles == null || !profiles.has(name)) {
            return false;
        }
        ((ObjectNode) profiles).remove(name);
        if (name.equals(root.path("active").asText(null))) {
            root.remove("active");
        }
        write(root);
        return true;
    }

    private static void validateName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new KineticException("invalid profile name '" + name + "': use letters, digits, '.', '_' and '-'");
        }
    }

    private ObjectNode read() {
        try {
            JsonNode node = Json.MAPPER.readTree(Files.readAllBytes(file));
            if (!(node instanceof ObjectNode obj)) {
                throw new KineticException(file + " is not a JSON object; fix or delete it");
            }
            return obj;
        } catch (NoSuchFileException e) {
            return Json.MAPPER.createObjectNode();
        } catch (IOException e) {
            throw new KineticException(
                    "cannot read profiles from " + file + ": " + e.getMessage() + "; fix the JSON or delete the file",
                    e);
        }
    }

    private void write(ObjectNode root) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(
                    file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new KineticException("cannot write profiles to " + file + ": " + e.getMessage(), e);
        }
    }
}
