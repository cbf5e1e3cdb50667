package dev.kinetic.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kinetic.JobStatus;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a command's output goes: data on stdout, diagnostics on stderr. Colour and relative ages only when
 * stdout is a terminal; otherwise exact ISO-8601 times that scripts can parse.
 */
final class Printer {
    private static final String RESET = "\u001B[0m";

    private final PrintWriter out;
    private final PrintWriter err;
    private final Terminal terminal;
    private final Clock clock;

    Printer(PrintWriter out, PrintWriter err, Terminal terminal, Clock clock) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.clock = clock;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    Terminal terminal() {
        return terminal;
    }

    /** One line of data, flushed at once so a follower sees it. */
    void line(String text) {
        out.println(text);
        out.flush();
    }

    /** A diagnostic for the person, never mixed into the data. */
    void note(String text) {
        err.println(text);
        err.flush();
    }

    /** One JSON document on stdout. */
    void json(Object document) {
        try {
            line(CliJson.MAPPER.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot write " + document.getClass().getName() + " as JSON", e);
        }
    }

    void table(Table table) {
        table.lines().forEach(out::println);
        out.flush();
    }

    /** A status, coloured on a terminal. */
    String status(JobStatus status) {
        String code = switch (status) {
            case SUCCEEDED -> "32"; // green
            case FAILED -> "31"; // red
            case CANCELLED, NOT_FOUND -> "33"; // yellow
            case RUNNING -> "36"; // cyan
            case PENDING -> "34"; // blue
        };
        return colour(code, status.name());
    }

    String bold(String text) {
        return colour("1", text);
    }

    /** "3m ago" on a terminal, the exact instant elsewhere; "-" when there is none. */
    String time(Instant instant) {
        if (instant == null) {
            return "-";
        }
        return terminal.stdout() ? age(Duration.between(instant, clock.instant())) + " ago" : instant.toString();
    }

    static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m";
        }
        if (s < 86400) {
            return s / 3600 + "h";
        }
        return s / 86400 + "d";
    }

    private String colour(String code, String text) {
        return terminal.colour() ? "\u001B[" + code + "m" + text + RESET : text;
    }
}
