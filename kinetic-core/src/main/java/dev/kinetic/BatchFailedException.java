package dev.kinetic;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Some inputs of a batch failed. Carries each failed input's index with its cause, and the results of the
 * others in input order ({@code null} in the failed slots).
 */
public class BatchFailedException extends KineticException {
    private static final long serialVersionUID = 1L;
    private final transient Map<Integer, Throwable> failures;
    private final transient List<Object> partialResults;

    public BatchFailedException(String batchId, Map<Integer, Throwable> failures, List<Object> partialResults) {
        super(
                batchId,
                "batch " + batchId + ": " + failures.size() + " of " + partialResults.size()
                        + " inputs failed (indices " + new TreeMap<>(failures).keySet()
                        + "); retry them with retryFailed(), "
                        + "or read each with failures()",
                failures.values().stream().findFirst().orElse(null));
        this.failures = Collections.unmodifiableMap(new TreeMap<>(failures));
        this.partialResults = Collections.unmodifiableList(new java.util.ArrayList<>(partialResults));
    }

    /** Failed input indices with their causes, in index order. */
    public Map<Integer, Throwable> failures() {
        return failures;
    }

    /** Results in input order, {@code null} where the input failed. */
    public List<Object> partialResults() {
        return partialResults;
    }
}
