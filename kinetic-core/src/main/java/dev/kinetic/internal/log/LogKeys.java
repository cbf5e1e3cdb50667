package dev.kinetic.internal.log;

/**
 * How a stored log is laid out under its prefix ({@code jobs/<id>/log/}). Stores cannot append, and a store such as
 * GCS refuses more than about one write per second to one object name, so no key is ever written twice:
 * <pre>
 * 00000000                 a closed segment: the whole of it, written once when it closed
 * 00000001.chunks/00000000 the open segment's chunks, each written once by a flush
 * 00000001.chunks/00000001
 * end/00000000             a hint: the last closed segment the writer noted (the previous hint is deleted)
 * </pre>
 * A closed segment is the concatenation of its chunks; once it is written the chunks are deleted, and a reader that
 * finds both uses the segment. Segments are numbered densely from 0 and at most the last one is open, so the end of
 * a log is found with a few existence checks, without listing it (see {@link StoreLog#tail}). Logs written before
 * chunks existed consist of closed segments only, and read the same way.
 */
final class LogKeys {
    private static final String CHUNKS = ".chunks/";

    private LogKeys() {}

    static String segment(String prefix, int segment) {
        return prefix + eightDigits(segment);
    }

    /** The hint naming segment {@code segment} as the last closed one when it was written; never ahead of the log. */
    static String endHint(String prefix, int segment) {
        return endHintPrefix(prefix) + eightDigits(segment);
    }

    static String endHintPrefix(String prefix) {
        return prefix + "end/";
    }

    static String chunkPrefix(String prefix, int segment) {
        return segment(prefix, segment) + CHUNKS;
    }

    static String chunk(String prefix, int segment, int chunk) {
        return chunkPrefix(prefix, segment) + eightDigits(chunk);
    }

    /** Zero-padded to 8 digits, so key order is number order (String.format is slow on tail's path). */
    private static String eightDigits(int n) {
        String digits = Integer.toString(n);
        return digits.length() >= 8 ? digits : "00000000".substring(digits.length()) + digits;
    }

    /**
     * The segment and chunk a key names: {@code {segment, -1}} for a closed segment, {@code {segment, chunk}} for a
     * chunk, or null for a key that is neither.
     */
    static int[] parse(String prefix, String key) {
        if (!key.startsWith(prefix)) {
            return null;
        }
        String rest = key.substring(prefix.length());
        try {
            int dot = rest.indexOf(CHUNKS);
            if (dot < 0) {
                return rest.length() == 8 ? new int[] {Integer.parseInt(rest), -1} : null;
            }
            String chunk = rest.substring(dot + CHUNKS.length());
            return dot == 8 && chunk.length() == 8
                    ? new int[] {Integer.parseInt(rest.substring(0, dot)), Integer.parseInt(chunk)}
                    : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
