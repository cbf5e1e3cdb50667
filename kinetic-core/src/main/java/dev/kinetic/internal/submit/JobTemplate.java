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
 * @param env captured environment values (they travel in the payload header, never in the record)
 * @param classpath the snapshotted classpath; empty until {@link Packager#withClasspath}
 * @param idPart the accelerator's part of job ids
 * @param hosts how many hosts run each job: the TPU slice's, {@code hosts(n)}, or 1
 */
public record JobTemplate(
        JobOptions options,
        Settings settings,
        String function,
        String definingClass,
        Map<String, String> env,
        List<JobRecord.Artifact> classpath,
        String idPart,
        int hosts) {

    public JobTemplate {
        env = Map.copyOf(env);
        classpath = List.copyOf(classpath);
    }

    JobTemplate withClasspath(List<JobRecord.Artifact> snapshot) {
        return new JobTemplate(options, settings, function, definingClass, env, snapshot, idPart, hosts);
    }

    /** The names of the captured variables, never their values. */
    public List<String> envNames() {
        return List.copyOf(new java.util.TreeSet<>(env.keySet()));
    }

    /**
     * Stops callers from printing captured values by accident: a template's text shows the variables' names only.
     */
    @Override
    public String toString() {
        return "JobTemplate[" + function + ", " + options.accelerator() + ", env " + envNames() + "]";
    }
}
