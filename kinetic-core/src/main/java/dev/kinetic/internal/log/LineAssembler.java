package dev.kinetic.internal.log;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** Turns a stream of byte chunks into whole lines; a partial last line waits for its newline or {@link #finish}. */
public final class LineAssembler {
    private final Consumer<String> sink;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    public LineAssembler(Consumer<String> sink) {
        this.sink = sink;
    }

    public void accept(byte[] data) {
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n') {
                pending.write(data, start, i - start);
                emit();
                start = i + 1;
            }
        }
        pending.write(data, start, data.length - start);
    }

    /** Delivers a last line that has no newline. */
    public void finish() {
        if (pending.size() > 0) {
            emit();
        }
    }

    private void emit() {
        String line = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        sink.accept(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }
}
