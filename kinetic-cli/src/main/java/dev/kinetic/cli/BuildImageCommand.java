package dev.kinetic.cli;

import dev.kinetic.image.AgentJars;
import dev.kinetic.image.BuiltImage;
import dev.kinetic.image.ImageBuildListener;
import dev.kinetic.image.RuntimeImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kinetic build-image}: builds (or reuses) the runtime image pods run, and prints its reference. */
@Command(
        name = "build-image",
        mixinStandardHelpOptions = true,
        header = "Build and push the runtime image (a JRE and Kinetic's agent) that Kubernetes pods run.",
        description = {
            "Builds with Jib (no Docker daemon) FROM a JRE base, with the agent as its own layer, and pushes "
                    + "it to REGISTRY/REPOSITORY. The tag is a hash of the base image digest, the agent jars and the "
                    + "Kinetic version: an unchanged setup is found in the registry and neither rebuilt nor pushed.",
            "Credentials come from the Docker config and credential helpers, as for docker push.",
            "Prints the image reference with its digest (use it as KINETIC_IMAGE). With -o json: "
                    + "{\"reference\", \"digest\", \"pinned\", \"reused\"}."
        })
public final class BuildImageCommand extends CommandBase {
    @Mixin
    OutputOption output;

    @Option(
            names = "--registry",
            required = true,
            paramLabel = "REGISTRY/REPOSITORY",
            description = "Where to push, without a tag, e.g. us-docker.pkg.dev/my-project/kinetic/runtime.")
    String registry;

    @Option(
            names = "--base",
            paramLabel = "IMAGE",
            description = "The base image with a JRE on its PATH (default: eclipse-temurin:<this Java's major>-jre).")
    String base;

    @Option(
            names = "--bundle",
            description = "Also put the classpath given with --classpath into the image as layers "
                    + "(dependencies, then project classes), so pods skip downloading it.")
    boolean bundle;

    @Option(
            names = {"-cp", "--classpath"},
            paramLabel = "CP",
            description =
                    "With --bundle: the jars and class directories to bundle, separated by ':' ('dir/*' for every jar in dir).")
    String classpath;

    @Option(
            names = "--agent-jar",
            paramLabel = "JAR",
            description =
                    "Extra jars for the agent, e.g. a store module and its SDK (repeatable); Kinetic's own jars are found automatically.")
    List<Path> agentJars = List.of();

    @Option(
            names = "--insecure",
            description = "Allow a registry over plain HTTP or with an unverified certificate (a local test registry).")
    boolean insecure;

    @Override
    public Integer call() {
        if (bundle && (classpath == null || classpath.isBlank())) {
            throw usage("--bundle needs the classpath to bundle: add --classpath CP");
        }
        if (!bundle && classpath != null) {
            throw usage("--classpath is only used with --bundle");
        }
        Printer p = printer();
        RuntimeImage.Builder builder = RuntimeImage.builder()
                .registry(registry)
                .agentJars(AgentJars.discover(agentJars))
                .allowInsecure(insecure)
                .environment(root().environment())
                .listener(new ImageBuildListener() {
                    @Override
                    public void step(String message) {
                        p.note(message);
                    }
                });
        if (base != null) {
            builder.base(base);
        }
        if (bundle) {
            builder.bundle(ClasspathArgument.parse(classpath));
        }
        BuiltImage image = builder.build().buildOrReuse();
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("reference", image.reference());
            doc.put("digest", image.digest());
            doc.put("pinned", image.pinned());
            doc.put("reused", image.reused());
            p.json(doc);
        } else {
            p.line(image.pinned());
        }
        return ExitCodes.OK;
    }
}
