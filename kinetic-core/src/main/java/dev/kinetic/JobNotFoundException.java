package dev.kinetic;

/** No job with this id exists in the configured store (never submitted, or cleaned up). */
public class JobNotFoundException extends KineticException {
    private static final long serialVersionUID = 1L;

    public JobNotFoundException(String jobId, String where) {
        super(
                jobId,
                "no job '" + jobId + "' in " + where
                        + "; list jobs with `kinetic jobs list` (or Kinetic.listJobs()), and check KINETIC_STORE / the profile",
                null);
    }
}
