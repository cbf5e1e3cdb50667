package dev.kinetic.cli;

import dev.kinetic.BatchHandle;
import dev.kinetic.BatchHandle.BatchCounts;
import dev.kinetic.JobStatus;
import dev.kinetic.ui.view.BatchView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * {@code kinetic batches status ID --watch}: the batch's progress until it is done. On a terminal one line redrawn in
 * place each second, a bar with done/total, failures, running, queued, workers, rate and time left; piped, a plain
 * line (or a JSON document) each time a count changes, so a log or a script gets each step once. It never waits
 * silently: inputs queued with no worker alive for {@link #NO_WORKER_GRACE} end it with the way out.
 */
final class BatchWatch {
    static final Duration REFRESH = Duration.ofSeconds(1);
    static final Duration NO_WORKER_GRACE = Duration.ofSeconds(20);
    private static final int WIDTH = 24;

    private final Printer p;
    private final Clock clock;
    private final boolean json;

    BatchWatch(Printer p, Clock clock, boolean json) {
        this.p = p;
        this.clock = clock;
        this.json = json;
    }

    int run(BatchHandle<?> handle) {
        boolean terminal = p.terminal().stdout() && !json;
        Instant start = clock.instant();
        BatchCounts first = handle.statusCounts();
        String last = null;
        Instant stalledSince = null;
        BatchCounts counts = first;
        while (true) {
            Duration elapsed = Duration.between(start, clock.instant());
            double rate = elapsed.toMillis() < 500
                    ? 0
                    : (counts.finished() - first.finished()) / (elapsed.toMillis() / 1000.0);
            String text = text(counts, rate);
            String key =
                    json ? BatchView.document(handle.id(), counts).toString() : text.replaceAll(" · [^·]*/s.*", "");
            if (terminal) {
                p.out().print("\r\u001B[2K" + bar(counts) + " " + text);
                p.out().flush();
            } else if (!key.equals(last)) {
                if (json) {
                    p.json(BatchView.document(handle.id(), counts));
                } else {
                    p.line(clock.instant() + " " + handle.id() + " " + text);
                }
            }
            last = key;
            if (counts.queued() == 0 && counts.running() == 0) {
                if (terminal) {
                    p.out().println();
                    p.out().flush();
                }
                return ExitCodes.OK;
            }
            if (counts.queued() > 0 && counts.workersAlive() == 0) {
                stalledSince = stalledSince == null ? clock.instant() : stalledSince;
                if (Duration.between(stalledSince, clock.instant()).compareTo(NO_WORKER_GRACE) >= 0) {
                    if (terminal) {
                        p.out().println();
                    }
                    p.note("kinetic: " + counts.queued() + " inputs of " + handle.id() + " are queued but no worker is "
                            + "alive; start workers with `kinetic batches resume " + handle.id() + "`");
                    return ExitCodes.FAILED;
                }
            } else {
                stalledSince = null;
            }
            sleep();
            counts = handle.statusCounts();
        }
    }

    /** {@code 40/100 done · 2 failed · 3 running · 57 queued · 2 workers · 1.8/s · ETA 33s}. */
    static String text(BatchCounts c, double rate) {
        StringBuilder t = new StringBuilder()
                .append(c.finished())
                .append('/')
                .append(c.size())
                .append(" done");
        if (c.count(JobStatus.FAILED) > 0) {
            t.append(" · ").append(c.count(JobStatus.FAILED)).append(" failed");
        }
        if (c.count(JobStatus.CANCELLED) > 0) {
            t.append(" · ").append(c.count(JobStatus.CANCELLED)).append(" cancelled");
        }
        t.append(" · ").append(c.running()).append(" running");
        t.append(" · ").append(c.queued()).append(" queued");
        t.append(" · ").append(c.workersAlive()).append(c.workersAlive() == 1 ? " worker" : " workers");
        if (rate > 0) {
            long left = Math.round((c.size() - c.finished()) / rate);
            t.append(" · ").append(String.format(Locale.ROOT, "%.1f/s", rate));
            t.append(" · ETA ").append(Printer.age(Duration.ofSeconds(left)));
        } else {
            t.append(" · -/s");
        }
        return t.toString();
    }

    static String bar(BatchCounts c) {
        int filled = c.size() == 0 ? WIDTH : (int) ((long) WIDTH * c.finished() / c.size());
        return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "]";
    }

    private static void sleep() {
        try {
            Thread.sleep(REFRESH.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while watching a batch", e);
        }
    }
}
