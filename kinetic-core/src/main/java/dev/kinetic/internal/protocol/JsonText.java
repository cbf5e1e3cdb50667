package dev.kinetic.internal.protocol;

import dev.kinetic.spi.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A minimal JSON writer for the few documents the agent writes (outcome, events). The agent must start fast,
 * and initializing Jackson costs more than the rest of its start-up; everything it writes is read back with
 * Jackson ({@link Json}), so the format is the same.
 */
public final class JsonText {
    private final StringBuilder out = new StringBuilder();
    private boolean first = true;

    private JsonText() {
        out.append('{');
    }

    public static JsonText object() {
        return new JsonText();
    }

    public JsonText field(String name, Object value) {
        if (value == null) {
            return this;
        }
        if (!first) {
            out.append(',');
        }
        first = false;
        string(out, name);
        out.append(':');
        value(out, value);
        return this;
    }

    public String end() {
        return out.append('}').toString();
    }

    private static void value(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof JsonText nested) {
            out.append(nested.end());
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Instant i) {
            string(out, i.toString());
        } else if (value instanceof Enum<?> e) {
            string(out, e.name());
        } else if (value instanceof Map<?, ?> m) {
            JsonText o = object();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                o.field(String.valueOf(e.getKey()), e.getValue());
            }
            out.append(o.end());
        } else if (value instanceof List<?> l) {
            out.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                value(out, l.get(i));
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException(
                    "no JSON form for " + value.getClass().getName());
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
