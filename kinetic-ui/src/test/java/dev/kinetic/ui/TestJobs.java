package dev.kinetic.ui;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the dashboard's test jobs run: static methods, so the lambdas that call them capture nothing by accident. */
final class TestJobs {
    private TestJobs() {}

    /** Prints {@code lines} numbered lines, one every {@code millis}, and returns how many it printed. */
    static int printLines(int lines, long millis) throws InterruptedException {
        for (int i = 1; i <= lines; i++) {
            System.out.println("line " + i + " of " + lines);
            Thread.sleep(millis);
        }
        return lines;
    }

    static int failWith(String message) {
        throw new IllegalStateException(message);
    }

    /** Writes a small HTML file and a nested text file under KINETIC_OUTPUT_DIR. */
    static String writeOutputs() throws IOException {
        Path dir = Path.of(System.getenv("KINETIC_OUTPUT_DIR"));
        Files.writeString(dir.resolve("report.html"), "<script>alert(1)</script>");
        Files.createDirectories(dir.resolve("checkpoints"));
        Files.writeString(dir.resolve("checkpoints/epoch-1.txt"), "weights");
        return "written";
    }

    /** A value of a class of the job's own: the dashboard must not load it. */
    record Metrics(double loss, int epochs) implements Serializable {}

    static Metrics metrics() {
        return new Metrics(0.25, 3);
    }
}
