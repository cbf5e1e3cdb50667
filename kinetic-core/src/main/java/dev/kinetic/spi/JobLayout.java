package dev.kinetic.spi;

/**
 * Where each artifact of a job lives in a store (DESIGN §4). The only place that spells keys.
 * <pre>
 * jobs/&lt;id&gt;/job.json, payload.bin, result.bin, result.json, log/&lt;segment&gt;, events/&lt;millis&gt;-&lt;type&gt;
 * jobs/&lt;id&gt;/hosts/&lt;i&gt;/result.bin, result.json, log/&lt;segment&gt;, events/...   (host i &gt; 0 of a multi-host job)
 * cas/&lt;sha256&gt;     outputs/&lt;id&gt;/...  outputs/&lt;id&gt;/host-&lt;i&gt;/...     groups/&lt;group&gt;/manifest.json
 * idempotency/&lt;key&gt;/&lt;generation&gt;     data/&lt;tree&gt;/complete     leases/&lt;lease&gt;     gc/lock
 * </pre>
 * Host 0 of a multi-host job keeps the single-host keys, so its result, log and events are the job's.
 */
public final class JobLayout {
    public static final String JOBS = "jobs/";
    private static final String HOSTS = "hosts/";

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

    /** Where hosts 1..n-1 of a multi-host job keep their own result, log and events. */
    public static String hostsPrefix(JobId id) {
        return jobPrefix(id) + HOSTS;
    }

    /** Host {@code host}'s own prefix: the job's prefix for host 0, {@code jobs/<id>/hosts/<i>/} for the others. */
    public static String hostPrefix(JobId id, int host) {
        return host == 0 ? jobPrefix(id) : hostsPrefix(id) + host + "/";
    }

    /** Host {@code host}'s serialized value or exception ({@link #resultData} for host 0). */
    public static String resultData(JobId id, int host) {
        return hostPrefix(id, host) + "result.bin";
    }

    /** Host {@code host}'s outcome ({@link #resultMeta} for host 0, whose outcome is the job's). */
    public static String resultMeta(JobId id, int host) {
        return hostPrefix(id, host) + "result.json";
    }

    /** Host {@code host}'s log ({@link #logPrefix} for host 0). */
    public static String logPrefix(JobId id, int host) {
        return hostPrefix(id, host) + "log/";
    }

    /** A segment of host {@code host}'s log. */
    public static String logSegment(JobId id, int host, int index) {
        return logPrefix(id, host) + String.format("%08d", index);
    }

    /** Host {@code host}'s events ({@link #eventPrefix} for host 0, whose events are the job's). */
    public static String eventPrefix(JobId id, int host) {
        return hostPrefix(id, host) + "events/";
    }

    /**
     * The host a key under a job's prefix belongs to: {@code i} for {@code jobs/<id>/hosts/<i>/...}, 0 for every other
     * key of the job (host 0's keys are the job's), -1 for a malformed host part.
     */
    public static int hostOf(String key) {
        int at = key.indexOf("/" + HOSTS);
        if (at < 0) {
            return 0;
        }
        int start = at + 1 + HOSTS.length();
        int end = key.indexOf('/', start);
        if (end <= start) {
            return -1;
        }
        try {
            int host = Integer.parseInt(key.substring(start, end));
            return host > 0 ? host : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static String cas(String sha256) {
        return "cas/" + sha256;
    }

    public static String outputs(JobId id) {
        return "outputs/" + id.value() + "/";
    }

    /**
     * Where host {@code host} syncs {@code KINETIC_OUTPUT_DIR}, given the job's output prefix: the prefix itself for
     * host 0, {@code <prefix>host-<i>/} for the others (so {@code outputs/<id>/host-<i>/} by default).
     */
    public static String hostOutputs(String outputPrefix, int host) {
        String p = outputPrefix.endsWith("/") ? outputPrefix : outputPrefix + "/";
        return host == 0 ? p : p + "host-" + host + "/";
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
