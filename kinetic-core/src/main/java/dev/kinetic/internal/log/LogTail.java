package dev.kinetic.internal.log;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads the last lines of a log made of consecutive byte sources, reading backwards from the end in chunks,
 * so the cost depends on the lines asked for, not on the log's size.
 */
public final class LogTail {
    private static final int CHUNK = 64 * 1024;

    private LogTail() {}

    public static List<String> tail(List<? extends ByteSource> sources, int lines) {
        if (lines < 0) {
            throw new IllegalArgumentException("lines must be >= 0, got " + lines);
        }
        if (lines == 0) {
            return List.of();
        }
        Deque<byte[]> chunks = new ArrayDeque<>();
        int newlines = 0;
        boolean skipTrailing = true;
        outer:
        for (int s = sources.size() - 1; s >= 0; s--) {
            ByteSource source = sources.get(s);
            long end = source.size();
            while (end > 0) {
                long start = Math.max(0, end - CHUNK);
                byte[] chunk = source.read(start, (int) (end - start));
                chunks.addFirst(chunk);
                for (int i = chunk.length - 1; i >= 0; i--) {
                    if (chunk[i] == '\n') {
                        if (skipTrailing) {
                            skipTrailing = false;
                            continue;
                        }
                        if (++newlines >= lines) {
                            break outer;
                        }
                    } else {
                        skipTrailing = false;
                    }
                }
                end = start;
            }
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] c : chunks) {
            all.writeBytes(c);
        }
        List<String> out = split(all.toString(StandardCharsets.UTF_8));
        return out.size() > lines ? new ArrayList<>(out.subList(out.size() - lines, out.size())) : out;
    }

    /** Splits text into lines, dropping the empty string after a final newline. */
    public static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                out.add(stripCr(text.substring(start, i)));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            out.add(stripCr(text.substring(start)));
        }
        return out;
    }

    private static String stripCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
