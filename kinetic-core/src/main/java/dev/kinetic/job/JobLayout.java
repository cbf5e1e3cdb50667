package dev.kinetic.job;

/**
 * Where each artifact of a job lives in a store (DESIGN §4). The only place that spells keys.
 * <pre>
 * jobs/&lt;id&gt;/job.json, payload.bin, result.bin, result.json, log/&lt;segment&gt;, events/&lt;millis&gt;-&lt;type&gt;
 * cas/&lt;sha256&gt;     outputs/&lt;id&gt;/...     groups/&lt;group&gt;/manifest.json
 * </pre>
 */
public final class JobLayout {
    public static final String JOBS = "jobs/";

    private JobLayout() {}

    public static String jobPrefix(String id) {
        return JOBS + id + "/";
    }

    public static String record(String id) {
        return jobPrefix(id) + "job.json";
    }

    public static String payload(String id) {
        return jobPrefix(id) + "payload.bin";
    }

    /** The serialized value or exception. */
    public static String resultData(String id) {
        return jobPrefix(id) + "result.bin";
    }

    /** The outcome summary, written after {@link #resultData}: its presence means the job has ended. */
    public static String resultMeta(String id) {
        return jobPrefix(id) + "result.json";
    }

    public static String logPrefix(String id) {
        return jobPrefix(id) + "log/";
    }

    /** Log segments are numbered so that key order is write order. */
    public static String logSegment(String id, int index) {
        return logPrefix(id) + String.format("%08d", index);
    }

    public static String eventPrefix(String id) {
        return jobPrefix(id) + "events/";
    }

    public static String event(String id, long epochMillis, String type) {
        return eventPrefix(id) + String.format("%013d", epochMillis) + "-" + type;
    }

    public static String cas(String sha256) {
        return "cas/" + sha256;
    }

    public static String outputs(String id) {
        return "outputs/" + id + "/";
    }

    /** The job id a key under {@code jobs/} belongs to, or null. */
    public static String jobIdOf(String key) {
        if (!key.startsWith(JOBS)) {
            return null;
        }
        int slash = key.indexOf('/', JOBS.length());
        return slash < 0 ? null : key.substring(JOBS.length(), slash);
    }
}
