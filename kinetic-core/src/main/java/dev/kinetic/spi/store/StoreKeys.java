package dev.kinetic.spi.store;

/** Rules every store applies to keys, so a key is portable between directory and bucket stores. */
public final class StoreKeys {
    private StoreKeys() {}

    /**
     * Refuses keys that are empty, absolute, contain {@code ..} or empty segments, or backslashes.
     *
     * @throws IllegalArgumentException naming the bad key
     */
    public static String validate(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("store key must not be empty");
        }
        if (key.startsWith("/") || key.contains("\\") || key.contains("//")) {
            throw new IllegalArgumentException(
                    "invalid store key '" + key + "': keys are relative, '/'-separated paths");
        }
        for (String segment : key.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException(
                        "invalid store key '" + key + "': '.' and '..' segments are not allowed");
            }
        }
        return key;
    }
}
