package dev.kinetic.image;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.registry.RegistryCredentialsNotSentException;
import dev.kinetic.spi.Hashing;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;

/**
 * Kinetic's runtime image: a JRE base, the agent's jars as their own layer in {@code /opt/kinetic/lib}, and with
 * {@link Builder#bundle} the user's classpath as two more layers. Built and pushed with Jib core (no Docker
 * daemon), under a tag that hashes every input, and only when the registry does not already hold that tag.
 * <pre>{@code
 * BuiltImage image = RuntimeImage.builder()
 *         .registry("ghcr.io/acme/kinetic-runtime")        // REGISTRY/REPOSITORY, no tag
 *         .listener(progress)
 *         .build()
 *         .buildOrReuse();
 * image.pinned();   // ghcr.io/acme/kinetic-runtime:0.1.0-3f9a...@sha256:...
 * }</pre>
 */
public final class RuntimeImage {
    /** A public Temurin JRE of this JVM's major version, e.g. {@code eclipse-temurin:17-jre}. */
    public static String defaultBase() {
        return "eclipse-temurin:" + Runtime.version().feature() + "-jre";
    }

    private final ImageReference repository;
    private final ImageReference base;
    private final List<Path> agentJars;
    private final List<Path> bundle;
    private final boolean allowInsecure;
    private final ImageBuildListener listener;
    private final Path cacheDirectory;
    private final Map<String, String> environment;
    private final String kineticVersion;

    private RuntimeImage(Builder b) {
        this.repository =
                parse(Objects.requireNonNull(b.registry, "registry (REGISTRY/REPOSITORY) is required"), "registry");
        if ((repository.getTag().isPresent() && !repository.usesDefaultTag())
                || repository.getDigest().isPresent()) {
            throw new ImageException(
                    "registry '" + b.registry + "' names a tag or digest; give only REGISTRY/REPOSITORY "
                            + "(e.g. ghcr.io/acme/kinetic-runtime): the tag is derived from the image's contents");
        }
        this.base = parse(b.base == null ? defaultBase() : b.base, "base");
        this.agentJars = List.copyOf(b.agentJars == null ? AgentJars.discover() : b.agentJars);
        this.bundle = List.copyOf(b.bundle);
        this.allowInsecure = b.allowInsecure;
        this.listener = b.listener;
        this.environment = Map.copyOf(b.environment == null ? System.getenv() : b.environment);
        this.cacheDirectory = b.cacheDirectory != null
                ? b.cacheDirectory
                : Path.of(
                        environment.getOrDefault("KINETIC_HOME", System.getProperty("user.home") + "/.kinetic"),
                        "image-cache");
        this.kineticVersion = b.kineticVersion == null ? KineticVersion.current() : b.kineticVersion;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether {@code image} exists in its registry, asked with the credentials a pull would use; changes nothing.
     *
     * @throws ImageException naming the registry when it cannot be reached or refuses the credentials
     */
    public static boolean exists(String image, boolean allowInsecure, Map<String, String> environment) {
        ImageReference ref = parse(image, "image");
        return new RegistryAccess(allowInsecure, environment, e -> {}, "kinetic/" + KineticVersion.current())
                .manifestDigest(ref, false)
                .isPresent();
    }

    /**
     * Checks that {@code registryAndRepository} answers and would take a push with the credentials a build would
     * use, pushing nothing (only a tag that does not exist is looked up).
     *
     * @throws ImageException naming the registry when it cannot be reached or refuses the credentials
     */
    public static void checkPushAccess(
            String registryAndRepository, boolean allowInsecure, Map<String, String> environment) {
        ImageReference ref = parse(registryAndRepository, "registry").withQualifier("kinetic-doctor-probe");
        new RegistryAccess(allowInsecure, environment, e -> {}, "kinetic/" + KineticVersion.current())
                .manifestDigest(ref, true);
    }

    /**
     * Returns the image for the current inputs, pushing it first if the registry lacks its tag.
     *
     * @throws ImageException naming the registry when it cannot be reached or refuses access, and naming the
     *     file when an input cannot be read
     */
    public BuiltImage buildOrReuse() {
        JibBridge bridge = new JibBridge(listener);
        RegistryAccess registries =
                new RegistryAccess(allowInsecure, environment, bridge.logs(), "kinetic/" + kineticVersion);
        String baseDigest = baseDigest(registries);
        ClasspathBundle staged = bundle.isEmpty()
                ? ClasspathBundle.NONE
                : ClasspathBundle.stage(bundle, cacheDirectory.resolve("bundle"));
        ImageTag tag = new ImageTag(baseDigest, agentLayerHashes(), staged.hashes(), kineticVersion);
        ImageReference target = repository.withQualifier(tag.value());

        var existing = registries.manifestDigest(target, true);
        if (existing.isPresent()) {
            listener.step(target + " is already in the registry: reusing it");
            return new BuiltImage(target.toString(), existing.get(), true);
        }
        listener.step(
                "building " + target + " from " + base.getRegistry() + "/" + base.getRepository() + "@" + baseDigest);
        JibContainer container = containerize(container(baseDigest, registries, staged), target, registries, bridge);
        listener.step("pushed " + target + "@" + container.getDigest());
        return new BuiltImage(target.toString(), container.getDigest().toString(), false);
    }

    /**
     * The reference {@link #buildOrReuse()} would push or reuse, {@code REGISTRY/REPOSITORY:TAG}, without building,
     * pushing or asking the target registry anything: only the base image's digest is read (the tag hashes it).
     * This is what a dry run shows.
     *
     * @throws ImageException naming the base's registry when it cannot be reached or lacks the base
     */
    public String plannedReference() {
        JibBridge bridge = new JibBridge(listener);
        RegistryAccess registries =
                new RegistryAccess(allowInsecure, environment, bridge.logs(), "kinetic/" + kineticVersion);
        ClasspathBundle staged = bundle.isEmpty()
                ? ClasspathBundle.NONE
                : ClasspathBundle.stage(bundle, cacheDirectory.resolve("bundle"));
        ImageTag tag = new ImageTag(baseDigest(registries), agentLayerHashes(), staged.hashes(), kineticVersion);
        return repository.withQualifier(tag.value()).toString();
    }

    private String baseDigest(RegistryAccess registries) {
        return base.getDigest().orElseGet(() -> {
            listener.step("resolving base image " + base);
            return registries
                    .manifestDigest(base, false)
                    .orElseThrow(() -> new ImageException("base image " + base + " does not exist in registry "
                            + base.getRegistry() + "; check the name and tag (or pass another base)"));
        });
    }

    private List<String> agentLayerHashes() {
        List<String> out = new ArrayList<>();
        for (Path jar : agentJars) {
            try {
                out.add(Hashing.sha256(jar) + " " + jar.getFileName());
            } catch (IOException e) {
                throw new ImageException("cannot read agent jar " + jar + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private JibContainerBuilder container(String baseDigest, RegistryAccess registries, ClasspathBundle staged) {
        ImageReference pinnedBase = ImageReference.of(base.getRegistry(), base.getRepository(), null, baseDigest);
        RegistryImage from = RegistryImage.named(pinnedBase);
        registries.credentialRetrievers(base).forEach(from::addCredentialRetriever);
        JibContainerBuilder c = Jib.from(from)
                .addFileEntriesLayer(ImageLayout.agentLayer(agentJars))
                // The Kubernetes backend sets the command itself; this makes `podman run IMAGE --store ...` work too.
                .setEntrypoint("java", "-cp", ImageLayout.AGENT_CLASSPATH, ImageLayout.AGENT_MAIN_CLASS)
                .setProgramArguments(List.of()) // never inherit the base's CMD (Temurin's is jshell) as agent arguments
                .addLabel(ImageLayout.LABEL_VERSION, kineticVersion)
                .addLabel(ImageLayout.LABEL_AGENT_CLASSPATH, ImageLayout.AGENT_CLASSPATH)
                .addLabel(ImageLayout.LABEL_BUNDLE, String.valueOf(!staged.isEmpty()));
        if (!staged.isEmpty()) {
            c.addFileEntriesLayer(ImageLayout.bundleLayer("kinetic-dependencies", staged.dependencies()))
                    .addFileEntriesLayer(ImageLayout.bundleLayer("kinetic-project", staged.project()))
                    .addEnvironmentVariable(ImageLayout.CACHE_DIR_ENV, ImageLayout.BUNDLE_CACHE_DIR);
        }
        return c;
    }

    private JibContainer containerize(
            JibContainerBuilder container, ImageReference target, RegistryAccess registries, JibBridge bridge) {
        RegistryImage to = RegistryImage.named(target);
        registries.credentialRetrievers(target).forEach(to::addCredentialRetriever);
        Containerizer containerizer = bridge.attach(Containerizer.to(to))
                .setAllowInsecureRegistries(allowInsecure)
                .setToolName("kinetic")
                .setToolVersion(kineticVersion)
                .setBaseImageLayersCache(cacheDirectory.resolve("base-layers"))
                .setApplicationLayersCache(cacheDirectory.resolve("layers"));
        try {
            return container.containerize(containerizer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("interrupted while building " + target, e);
        } catch (RegistryUnauthorizedException e) {
            throw RegistryErrors.unauthorized(involved(e.getImageReference(), target), false, e);
        } catch (RegistryCredentialsNotSentException e) {
            throw RegistryErrors.credentialsNotSent(target, e);
        } catch (InsecureRegistryException e) {
            throw RegistryErrors.insecure(target, e);
        } catch (RegistryException | ExecutionException e) {
            throw RegistryErrors.unreachable(target, e);
        } catch (IOException e) {
            throw new ImageException("building " + target + " failed: " + e.getMessage(), e);
        } catch (CacheDirectoryCreationException e) {
            throw new ImageException(
                    "cannot create the layer cache under " + cacheDirectory + ": " + e.getMessage()
                            + "; choose a writable directory (RuntimeImage.Builder.cacheDirectory)",
                    e);
        }
    }

    /** Which of base and target a Jib failure is about, from the reference Jib reports. */
    private ImageReference involved(String reported, ImageReference target) {
        return reported != null && reported.startsWith(base.getRegistry() + "/" + base.getRepository()) ? base : target;
    }

    private static ImageReference parse(String reference, String what) {
        try {
            return ImageReference.parse(reference);
        } catch (InvalidImageReferenceException e) {
            throw new ImageException(
                    "invalid " + what + " image reference '" + reference + "': use REGISTRY/REPOSITORY"
                            + ("base".equals(what)
                                    ? "[:TAG|@sha256:DIGEST], e.g. " + defaultBase()
                                    : ", e.g. ghcr.io/acme/kinetic-runtime"),
                    e);
        }
    }

    /** Options of a {@link RuntimeImage}; only {@link #registry} is required. */
    public static final class Builder {
        private String registry;
        private String base;
        private List<Path> agentJars;
        private List<Path> bundle = List.of();
        private boolean allowInsecure;
        private ImageBuildListener listener = ImageBuildListener.NONE;
        private Path cacheDirectory;
        private Map<String, String> environment;
        private String kineticVersion;

        private Builder() {}

        /** {@code REGISTRY/REPOSITORY} to push to, without a tag, e.g. {@code ghcr.io/acme/kinetic-runtime}. */
        public Builder registry(String registryAndRepository) {
            this.registry = registryAndRepository;
            return this;
        }

        /** The base image, which must have {@code java} (17+) on its {@code PATH}; default {@link #defaultBase()}. */
        public Builder base(String image) {
            this.base = image;
            return this;
        }

        /** The agent's jars; default {@link AgentJars#discover()} (the core and its dependencies, no store module). */
        public Builder agentJars(List<Path> jars) {
            this.agentJars = List.copyOf(jars);
            return this;
        }

        /**
         * Puts this classpath in the image (jars in one layer, class directories packed as jars in a layer on
         * top), so pods take it from the image instead of downloading it. Empty (the default): no bundle.
         */
        public Builder bundle(List<Path> classpath) {
            this.bundle = List.copyOf(classpath);
            return this;
        }

        /** Allows plain HTTP and unverified HTTPS (a registry on localhost, say). Default false. */
        public Builder allowInsecure(boolean allow) {
            this.allowInsecure = allow;
            return this;
        }

        public Builder listener(ImageBuildListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /** Where layers and the staged bundle are cached; default {@code $KINETIC_HOME/image-cache} or {@code ~/.kinetic/image-cache}. */
        public Builder cacheDirectory(Path dir) {
            this.cacheDirectory = dir;
            return this;
        }

        /** Where {@code DOCKER_CONFIG}, {@code KINETIC_HOME} and credential helpers' variables are read; default the process's. */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /** The version in the tag and label; default the version of kinetic-core on the classpath. */
        public Builder kineticVersion(String version) {
            this.kineticVersion = version;
            return this;
        }

        /** @throws ImageException on a missing or malformed registry or base */
        public RuntimeImage build() {
            return new RuntimeImage(this);
        }
    }
}
