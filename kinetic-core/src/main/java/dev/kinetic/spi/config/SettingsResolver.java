package dev.kinetic.spi.config;

import dev.kinetic.KineticException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Resolves {@link Settings}: explicit option > {@code KINETIC_<NAME>} environment variable > active profile >
 * default. The environment is injected so tests and the CLI control it.
 */
public final class SettingsResolver {
    /** Settings every installation understands; backends may read more (any {@code KINETIC_*} variable). */
    public static final String HOME = "home";

    public static final String STORE = "store";
    public static final String BACKEND = "backend";
    public static final String PROFILE = "profile";

    private final Map<String, String> environment;

    public SettingsResolver(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * Resolves settings.
     *
     * @param explicit options given on the command line or in code, by setting name ({@code store},
     *     {@code backend}, {@code profile}, {@code namespace}, ...); {@code null} values are ignored
     */
    public Settings resolve(Map<String, String> explicit) {
        Map<String, String> values = new TreeMap<>();
        Map<String, String> sources = new TreeMap<>();

        Path home = resolveHome(explicit, values, sources);
        Profiles profiles = new Profiles(home.resolve("profiles.json"));

        String profileName = firstOf(explicit.get(PROFILE), environment.get("KINETIC_PROFILE"));
        String profileSource = explicit.get(PROFILE) != null ? "flag" : "env";
        if (profileName == null) {
            profileName = profiles.active().orElse(null);
            profileSource = "profile";
        }
        Map<String, String> profile = Map.of();
        if (profileName != null) {
            String name = profileName;
            profile = profiles.get(profileName)
                    .orElseThrow(() -> new KineticException("profile '" + name
                            + "' does not exist in " + profiles.file() + "; create it with `kinetic profile create "
                            + name
                            + "` or list them with `kinetic profile ls`"));
            values.put(PROFILE, profileName);
            sources.put(PROFILE, profileSource);
        }

        // Every setting a profile or the environment names, plus the two with defaults.
        Map<String, String> names = new LinkedHashMap<>();
        profile.keySet().forEach(k -> names.put(k, k));
        environment.keySet().stream()
                .filter(k -> k.startsWith("KINETIC_"))
                .map(k -> k.substring("KINETIC_".length())
                        .toLowerCase(Locale.ROOT)
                        .replace('_', '-'))
                .forEach(k -> names.put(k, k));
        explicit.keySet().forEach(k -> names.put(k, k));
        names.put(STORE, STORE);
        names.put(BACKEND, BACKEND);
        names.remove(HOME);
        names.remove(PROFILE);

        for (String name : names.keySet()) {
            String envName = "KINETIC_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
            if (explicit.get(name) != null) {
                put(values, sources, name, explicit.get(name), "flag");
            } else if (environment.get(envName) != null
                    && !environment.get(envName).isEmpty()) {
                put(values, sources, name, environment.get(envName), "env");
            } else if (profile.get(name) != null) {
                put(values, sources, name, profile.get(name), "profile");
            }
        }
        values.putIfAbsent(BACKEND, "local");
        sources.putIfAbsent(BACKEND, "default");
        if (!values.containsKey(STORE)) {
            values.put(STORE, home.resolve("store").toUri().toString());
            sources.put(STORE, "default");
        }
        URI store = parseStore(values.get(STORE), sources.get(STORE));
        return new Settings(home, store, values.get(BACKEND), profileName, values, sources, environment);
    }

    /**
     * Kinetic's home directory alone, without reading any profile: explicit {@code home} > {@code KINETIC_HOME} >
     * {@code ~/.kinetic}. For commands that must work while the active profile is broken (to repair it).
     */
    public static Path home(Map<String, String> environment, Map<String, String> explicit) {
        return new SettingsResolver(environment).resolveHome(explicit, new TreeMap<>(), new TreeMap<>());
    }

    private Path resolveHome(Map<String, String> explicit, Map<String, String> values, Map<String, String> sources) {
        String raw = explicit.get(HOME);
        String source = "flag";
        if (raw == null) {
            raw = environment.get("KINETIC_HOME");
            source = "env";
        }
        if (raw == null || raw.isEmpty()) {
            raw = System.getProperty("user.home") + "/.kinetic";
            source = "default";
        }
        Path home = Path.of(expandTilde(raw)).toAbsolutePath().normalize();
        put(values, sources, HOME, home.toString(), source);
        return home;
    }

    private static URI parseStore(String raw, String source) {
        String value = expandTilde(raw);
        try {
            URI uri;
            if (value.startsWith("/")) {
                uri = Path.of(value).toUri();
            } else if (value.startsWith("file:") && !value.startsWith("file:/")) {
                uri = Path.of(value.substring("file:".length()))
                        .toAbsolutePath()
                        .toUri();
            } else {
                uri = new URI(value);
            }
            if (uri.getScheme() == null) {
                uri = Path.of(value).toAbsolutePath().toUri();
            }
            return uri;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new KineticException("invalid store '" + raw + "' (from " + source
                    + "): use file:/dir, s3://bucket/prefix or gs://bucket/prefix");
        }
    }

    private static String expandTilde(String raw) {
        if (raw.startsWith("~/") || raw.equals("~")) {
            return System.getProperty("user.home") + raw.substring(1);
        }
        if (raw.startsWith("file:~/")) {
            return "file:" + System.getProperty("user.home") + raw.substring("file:~".length());
        }
        return raw;
    }

    private static String firstOf(String a, String b) {
        return a != null && !a.isEmpty() ? a : (b != null && !b.isEmpty() ? b : null);
    }

    private static void put(Map<String, String> values, Map<String, String> sources, String k, String v, String s) {
        values.put(k, v);
        sources.put(k, s);
    }
}
