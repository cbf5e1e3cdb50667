package dev.kinetic.backend.kubernetes;

import dev.kinetic.spi.accelerator.Accelerator;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;
import java.util.Map;

/**
 * What a GPU pod needs to find the NVIDIA driver that GKE installs on the node and mounts into every container
 * that asks for {@code nvidia.com/gpu}, at {@code /usr/local/nvidia}: its libraries on {@code LD_LIBRARY_PATH} (a Java
 * GPU library in the task, DJL, ONNX Runtime, TensorFlow Java, loads {@code libcuda} from there or falls back to
 * the CPU), and its binaries ({@code nvidia-smi}) on the task's {@code PATH}. {@code PATH} itself is not set in the
 * spec: it would replace the image's, which is where {@code java} is found; the agent puts
 * {@value #TASK_PATH_PREFIX_ENV} in front of the task's {@code PATH} instead.
 */
final class GpuEnvironment {
    static final String NVIDIA_LIBRARIES = "/usr/local/nvidia/lib64:/usr/local/nvidia/lib";
    static final String NVIDIA_BINARIES = "/usr/local/nvidia/bin";
    /** Directories the agent puts in front of the task's {@code PATH}. */
    static final String TASK_PATH_PREFIX_ENV = "KINETIC_TASK_PATH_PREFIX";

    private GpuEnvironment() {}

    /** Adds the variables to {@code env} for a GPU job, unless {@code pod-env} sets them already. */
    static void addTo(List<EnvVar> env, Accelerator accelerator, Map<String, String> podEnv) {
        if (!"gpu".equals(accelerator.kind())) {
            return;
        }
        if (!podEnv.containsKey("LD_LIBRARY_PATH")) {
            env.add(new EnvVar("LD_LIBRARY_PATH", NVIDIA_LIBRARIES, null));
        }
        if (!podEnv.containsKey(TASK_PATH_PREFIX_ENV)) {
            env.add(new EnvVar(TASK_PATH_PREFIX_ENV, NVIDIA_BINARIES, null));
        }
    }
}
