package dev.kinetic.spi;

/**
 * Where each artifact of a job lives in a store (DESIGN §4). The only place that spells keys.
 * <pre>
 * jobs/&lt;id&gt;/job.json, payload.bin, result.bin, result.json, log/&lt;segment&gt;, events/&lt;millis&gt;-&lt;type&gt;
 * cas/&lt;sha256&gt;     outputs/&lt;id&gt;/...     groups/&lt;group&gt;/manifest.json     idempotency/&lt;key&gt;/&lt;generation&gt;
 * </pre>
 */
public final class JobLayout {
    public static final String JOBS = "jobs/";

    private JobLayout() {}

    public static String jobPrefix(JobId id) {
        return JOBS + id.value() + "/";
    }

    public static String record(JobId id) {
        return jobPrefix(id) + "job.json";
    }

    public static String payload(JobId id) {
        return jobPrefix(id) + "payload.bin";
    }

    /** The serialized value or exception. */
    public static String resultData(JobId id) {
        return jobPrefix(id) + "result.bin";
    }

    /** The outcome summary, written after {@link #resultData}: its presence means the job has ended. */
    public static String resultMeta(JobId id) {
        return jobPrefix(id) + "result.json";
    }

    public static String logPrefix(JobId id) {
        return jobPrefix(id) + "log/";
    }

    public static String eventPrefix(JobId id) {
        return jobPrefix(id) + "events/";
    }

    public static String cas(String sha256) {
        return "cas/" + sha256;
    }

    public static String outputs(JobId id) {
        return "outputs/" + id.value() + "/";
    }

    /** Where the claims of an idempotency key live: one create-only object per generation, holding a job id. */
    public static String idempotencyPrefix(String key) {
        return "idempotency/" + key + "/";
    }

    /** Generation {@code generation} of an idempotency key's claim. */
    public static String idempotencyClaim(String key, int generation) {
        return idempotencyPrefix(key) + String.format("%06d", generation);
    }

    /** The job id a key under {@code jobs/} belongs to, or null when the key is not a job's. */
    public static JobId jobIdOf(String key) {
        if (!key.startsWith(JOBS)) {
            return null;
        }
        int slash = key.indexOf('/', JOBS.length());
        if (slash < 0) {
            return null;
        }
        String id = key.substring(JOBS.length(), slash);
        return JobId.isValid(id) ? JobId.of(id) : null;
    }
}
