package dev.kinetic.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogCursorTest {
    private static final String T1 = "2026-11-28T15:30:12.1Z";
    private static final String T2 = "2026-11-28T15:30:12.2Z";
    private static final String T3 = "2026-11-28T15:30:13.000000001Z";

    @Test
    void reconnectSkipsDeliveredLinesIncludingThoseSharingATimestamp() {
        LogCursor cursor = new LogCursor();
        List<String> out = new ArrayList<>();
        stream(cursor, out, T1 + " a", T2 + " b", T2 + " c");
        assertThat(cursor.sinceTime()).isEqualTo("2026-11-28T15:30:12Z");
        // The reconnect returns everything since the second: a, b, c again, then new lines.
        stream(cursor, out, T1 + " a", T2 + " b", T2 + " c", T2 + " d", T3 + " e");
        assertThat(out).containsExactly("a", "b", "c", "d", "e");
        assertThat(cursor.delivered()).isEqualTo(5);
    }

    @Test
    void variableFractionDigitsCompareAsTimes() {
        LogCursor cursor = new LogCursor();
        List<String> out = new ArrayList<>();
        stream(cursor, out, "2026-11-28T15:30:12.9Z x", "2026-11-28T15:30:12.10Z y");
        assertThat(out)
                .as("12.10 is before 12.9 as a time, so y is from before and not new")
                .containsExactly("x");
    }

    private static void stream(LogCursor cursor, List<String> out, String... raw) {
        cursor.beginStream();
        for (String r : raw) {
            LogCursor.Line line = LogCursor.Line.parse(r);
            if (cursor.accept(line)) {
                out.add(line.text());
            }
        }
    }
}
