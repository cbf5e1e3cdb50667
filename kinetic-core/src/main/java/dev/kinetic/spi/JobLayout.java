package dev.kinetic.spi;

/**
 * Where each artifact of a job lives in a store (DESIGN §4). The only place that spells keys.
 * <pre>
 * jobs/&lt;id&gt;/job.json, payload.bin, result.bin, result.json, log/&lt;segment&gt;, events/&lt;millis&gt;-&lt;type&gt;
 * cas/&lt;sha256&gt;     outputs/&lt;id&gt;/...     groups/&lt;group&gt;/manifest.json     idempotency/&lt;key&gt;/&lt;generation&gt;
 * data/&lt;tree&gt;/complete     leases/&lt;lease&gt;     gc/lock
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

    /** Where submissions in flight keep their leases (see the collector): one object each, written create-only. */
    public static final String LEASES = "leases/";

    /** The collector's lock: while it exists a collection may be deleting unreferenced {@code cas/} objects. */
    public static final String GC_LOCK = "gc/lock";

    /** Every job's data trees are marked uploaded here: {@code data/<tree sha256>/complete}. */
    public static final String DATA = "data/";

    /** The marker that says data tree {@code treeSha256} was uploaded completely. */
    public static String dataMarker(String treeSha256) {
        return DATA + treeSha256 + "/complete";
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
