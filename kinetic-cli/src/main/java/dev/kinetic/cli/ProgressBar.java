package dev.kinetic.cli;

import dev.kinetic.spi.store.TransferListener;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;

/**
 * Draws transfer progress (the classpath's upload, the outputs' download) on stderr, one line redrawn in place.
 * Only used when stderr is a terminal; redraws at most ten times a second so a large file does not flood it.
 */
final class ProgressBar implements TransferListener {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final PrintWriter err;
    private long lastDraw;

    ProgressBar(PrintWriter err) {
        this.err = err;
    }

    @Override
    public synchronized void started(String key, long totalBytes) {
        lastDraw = 0;
        draw(key, 0, totalBytes);
    }

    @Override
    public synchronized void progressed(String key, long doneBytes, long totalBytes) {
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            draw(key, doneBytes, totalBytes);
        }
    }

    @Override
    public synchronized void finished(String key, long totalBytes) {
        draw(key, totalBytes, totalBytes);
        err.println();
        err.flush();
    }

    private void draw(String key, long done, long total) {
        String name = key.length() > 24 ? key.substring(0, 23) + "…" : key;
        StringBuilder line = new StringBuilder("\ruploading ").append(name).append(' ');
        if (total > 0) {
            int filled = (int) (WIDTH * Math.min(1.0, (double) done / total));
            line.append('[')
                    .append("#".repeat(filled))
                    .append(" ".repeat(WIDTH - filled))
                    .append("] ")
                    .append(String.format("%3d%% ", done * 100 / total));
        }
        line.append(megabytes(done)).append(total > 0 ? " / " + megabytes(total) : "");
        err.print(line);
        err.flush();
    }

    private static String megabytes(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }
}
