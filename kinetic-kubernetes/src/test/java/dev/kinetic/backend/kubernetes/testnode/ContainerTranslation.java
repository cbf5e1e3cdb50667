package dev.kinetic.backend.kubernetes.testnode;

import dev.kinetic.spi.AgentCommand;
import dev.kinetic.spi.ClasspathSnapshot;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a pod's container into a local process: the image's {@code java} becomes this JDK's, the image's agent
 * classpath becomes this test JVM's classpath, and the container gets a private temp directory as its
 * filesystem. Everything else must be something a local process can honour faithfully; anything it cannot
 * (another command, {@code valueFrom} variables other than the pod's own name, volumes other than a same-path
 * hostPath) fails loudly rather than being run differently from what the cluster would do.
 */
final class ContainerTranslation {
    /** Thrown when the spec has something this node cannot run faithfully. */
    static final class Untranslatable extends Exception {
        private static final long serialVersionUID = 1L;

        Untranslatable(String message) {
            super(message);
        }
    }

    /**
     * The local command and environment.
     *
     * @param terminationMessage the local file standing in for the container's {@code terminationMessagePath}
     */
    record Launch(List<String> command, Map<String, String> environment, String image, Path terminationMessage) {}

    private ContainerTranslation() {}

    /** Reads a Secret's data in the pod's namespace, as the kubelet does for {@code valueFrom.secretKeyRef}. */
    interface Secrets {
        /** The decoded data of Secret {@code name}, or null when it does not exist. */
        Map<String, String> read(String name);
    }

    static Launch translate(PodSpec spec, String imageAgentClasspath, Path podDir) throws Untranslatable {
        return translate(spec, imageAgentClasspath, podDir, null, name -> null);
    }

    /**
     * @param podName the pod's name, for variables that read {@code metadata.name} (downward API); null: none
     * @param secrets the Secrets of the pod's namespace, for variables that read {@code secretKeyRef}
     */
    static Launch translate(PodSpec spec, String imageAgentClasspath, Path podDir, String podName, Secrets secrets)
            throws Untranslatable {
        if (spec.getContainers() == null || spec.getContainers().size() != 1) {
            throw new Untranslatable("expected exactly one container, got " + spec.getContainers());
        }
        if (spec.getInitContainers() != null && !spec.getInitContainers().isEmpty()) {
            throw new Untranslatable("init containers are not supported: " + spec.getInitContainers());
        }
        if (!"Never".equals(spec.getRestartPolicy())) {
            throw new Untranslatable("restartPolicy must be Never, got " + spec.getRestartPolicy());
        }
        Container c = spec.getContainers().get(0);
        if (c.getWorkingDir() != null) {
            throw new Untranslatable("workingDir is not supported: " + c.getWorkingDir());
        }
        List<String> in = new ArrayList<>(c.getCommand());
        in.addAll(c.getArgs() == null ? List.of() : c.getArgs());
        List<String> out = new ArrayList<>();
        int i = 0;
        expect(in, i, "java");
        out.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        out.add("-Djava.io.tmpdir=" + podDir.resolve("tmp"));
        i++;
        while (i < in.size() && in.get(i).startsWith("-X")) {
            out.add(in.get(i++));
        }
        expect(in, i++, "-cp");
        expect(in, i++, imageAgentClasspath);
        out.add("-cp");
        out.add(String.join(
                File.pathSeparator,
                ClasspathSnapshot.currentClasspath().stream()
                        .map(Path::toString)
                        .toList()));
        String main = i < in.size() && in.get(i).equals(AgentCommand.WORKER_MAIN_CLASS)
                ? AgentCommand.WORKER_MAIN_CLASS
                : AgentCommand.MAIN_CLASS;
        expect(in, i++, main);
        out.add(main);
        out.addAll(in.subList(i, in.size()));

        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", podDir.toString());
        // The container's termination message file is this pod's own file here; a variable naming that path (the
        // agent's) names the local file, as the path names the file in the container.
        Path terminationMessage = podDir.resolve("termination-log");
        String containerPath =
                c.getTerminationMessagePath() == null ? "/dev/termination-log" : c.getTerminationMessagePath();
        for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
            if (e.getValueFrom() != null) {
                if (podName != null
                        && e.getValueFrom().getFieldRef() != null
                        && "metadata.name".equals(e.getValueFrom().getFieldRef().getFieldPath())) {
                    env.put(e.getName(), podName); // the downward API's pod name, as the kubelet fills it in
                    continue;
                }
                env.put(e.getName(), fromSecret(e, secrets));
                continue;
            }
            env.put(e.getName(), containerPath.equals(e.getValue()) ? terminationMessage.toString() : e.getValue());
        }
        checkVolumes(spec, c);
        return new Launch(out, env, c.getImage(), terminationMessage);
    }

    /** A variable from a Secret key; a missing Secret or key fails the pod's start, as the kubelet's does. */
    private static String fromSecret(EnvVar e, Secrets secrets) throws Untranslatable {
        var ref = e.getValueFrom().getSecretKeyRef();
        if (ref == null) {
            throw new Untranslatable("env " + e.getName() + " uses a valueFrom other than secretKeyRef: " + e);
        }
        Map<String, String> data = secrets.read(ref.getName());
        if (data == null || !data.containsKey(ref.getKey())) {
            throw new Untranslatable("env " + e.getName() + ": secret " + ref.getName() + " or its key " + ref.getKey()
                    + " does not exist (CreateContainerConfigError)");
        }
        return data.get(ref.getKey());
    }

    private static void checkVolumes(PodSpec spec, Container c) throws Untranslatable {
        Map<String, Volume> volumes = new LinkedHashMap<>();
        for (Volume v : spec.getVolumes() == null ? List.<Volume>of() : spec.getVolumes()) {
            if (v.getHostPath() == null) {
                throw new Untranslatable("volume " + v.getName() + " is not a hostPath: " + v);
            }
            volumes.put(v.getName(), v);
        }
        for (VolumeMount m : c.getVolumeMounts() == null ? List.<VolumeMount>of() : c.getVolumeMounts()) {
            Volume v = volumes.get(m.getName());
            if (v == null) {
                throw new Untranslatable("volumeMount " + m.getName() + " names no volume");
            }
            if (!v.getHostPath().getPath().equals(m.getMountPath())) {
                throw new Untranslatable("hostPath " + v.getHostPath().getPath() + " is mounted at another path, "
                        + m.getMountPath() + ", which a local process cannot see");
            }
            if ("Directory".equals(v.getHostPath().getType()) && !Files.isDirectory(Path.of(m.getMountPath()))) {
                throw new Untranslatable("hostPath " + m.getMountPath() + " (type Directory) does not exist");
            }
        }
    }

    private static void expect(List<String> args, int index, String expected) throws Untranslatable {
        if (index >= args.size() || !args.get(index).equals(expected)) {
            throw new Untranslatable("cannot translate the container command " + args + ": expected '" + expected
                    + "' at position " + index);
        }
    }
}
