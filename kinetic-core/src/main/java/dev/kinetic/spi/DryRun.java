package dev.kinetic.spi;

import java.util.List;
import java.util.Map;

/**
 * An optional capability of a {@link Backend}: show what submitting a job would create, and create nothing. The
 * Kubernetes backend implements it (its Job, and any Service); {@code kinetic submit --dry-run} and
 * {@code RemoteJob.dryRun()} use it.
 * <pre>{@code
 * if (backend instanceof DryRun dryRun) {
 *     List<Map<String, Object>> objects = dryRun.dryRun(draft, AgentCommand.forRecord(draft));
 * }
 * }</pre>
 */
public interface DryRun {

    /**
     * The objects that submitting {@code draft} would create, in the order they would be created, each as its JSON
     * form ({@code apiVersion}, {@code kind}, {@code metadata}, ...). Settings, image and accelerator are resolved as
     * for a real submit, but nothing is created, built or written: an image that would be built is shown by the
     * reference it would get.
     *
     * @param draft the record the job would have (its payload and classpath hashed, nothing stored)
     * @throws dev.kinetic.KineticException for what a real submit would refuse
     */
    List<Map<String, Object>> dryRun(JobRecord draft, AgentCommand command);
}
