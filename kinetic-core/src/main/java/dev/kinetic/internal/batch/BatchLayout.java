package dev.kinetic.internal.batch;

/** Keys of a batch in the store. */
public final class BatchLayout {
    public static final String GROUPS = "groups/";

    private BatchLayout() {}

    public static String prefix(String id) {
        return "groups/" + id + "/";
    }

    public static String manifest(String id) {
        return prefix(id) + "manifest.json";
    }

    public static String input(String id, int index) {
        return prefix(id) + "inputs/" + String.format("%06d", index);
    }

    /** A create-only claim: input {@code index}'s attempt {@code attempt} is (being) submitted as the job it names. */
    public static String claim(String id, int index, int attempt) {
        return claimPrefix(id) + String.format("%06d/%03d", index, attempt);
    }

    public static String claimPrefix(String id) {
        return prefix(id) + "children/";
    }

    public static String cancelled(String id) {
        return prefix(id) + "cancelled";
    }
}
