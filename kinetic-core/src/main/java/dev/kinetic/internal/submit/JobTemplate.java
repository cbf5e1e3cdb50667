package dev.kinetic.internal.submit;

import dev.kinetic.JobOptions;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.config.Settings;
import java.util.List;
import java.util.Map;

/**
 * What every job of one function with one set of options shares: one template serves a single submission, or every
 * input of a batch.
 *
 * @param options the job options
 * @param settings the settings in effect (options applied)
 * @param function the function's short name
 * @param definingClass the class that defines it
 * @param envNames the names of the captured environment variables (in the record and the payload)
 * @param env their values as this JVM has them: never stored anywhere, handed to the backend at launch (a template
 *     restored in another JVM holds the values that JVM has; names without one reach the agent, which says so)
 * @param classpath the snapshotted classpath; empty until {@link Packager#withClasspath}
 * @param idPart the accelerator's part of job ids
 * @param hosts how many hosts run each job: the TPU slice's, {@code hosts(n)}, or 1
 */
public record JobTemplate(
        JobOptions options,
        Settings settings,
        String function,
        String definingClass,
        List<String> envNames,
        Map<String, String> env,
        List<JobRecord.Artifact> classpath,
        String idPart,
        int hosts) {

    public JobTemplate {
        envNames = List.copyOf(new java.util.TreeSet<>(envNames));
        env = Map.copyOf(env);
        classpath = List.copyOf(classpath);
    }

    JobTemplate withClasspath(List<JobRecord.Artifact> snapshot) {
        return new JobTemplate(options, settings, function, definingClass, envNames, env, snapshot, idPart, hosts);
    }

    /**
     * Stops callers from printing captured values by accident: a template's text shows the variables' names only.
     */
    @Override
    public String toString() {
        return "JobTemplate[" + function + ", " + options.accelerator() + ", env " + envNames() + "]";
    }
}
