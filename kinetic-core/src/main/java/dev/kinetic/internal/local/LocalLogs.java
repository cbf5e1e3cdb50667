package dev.kinetic.internal.local;

import dev.kinetic.KineticException;
import dev.kinetic.internal.log.FileByteSource;
import dev.kinetic.internal.log.LineAssembler;
import dev.kinetic.internal.log.LogTail;
import dev.kinetic.spi.LiveFollow;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** What the local backend reads of its agents' own files: their output while they run, and their last words. */
final class LocalLogs {
    private LocalLogs() {}

    /**
     * Why an agent that exited without an outcome gave up, when it says so in its log (the store was unreachable
     * for longer than it waits); null otherwise, and status then says it was killed or crashed.
     */
    static String lastWords(Path state) {
        Path log = state.resolve("agent.log");
        try {
            List<String> tail = LogTail.tail(List.of(new FileByteSource(log)), 20);
            for (int i = tail.size() - 1; i >= 0; i--) {
                if (tail.get(i).contains("giving up")) {
                    return "agent exited without a result: " + tail.get(i).replaceFirst("^kinetic agent: ", "");
                }
            }
        } catch (RuntimeException e) {
            // no log, or unreadable: nothing to add
        }
        return null;
    }

    /**
     * Follows an agent's output file until the agent is gone and everything it wrote has been passed to {@code sink},
     * polling from 10 ms up to 200 ms while nothing new comes.
     */
    static LiveFollow follow(Path log, Consumer<String> sink, BooleanSupplier agentAlive) {
        FileByteSource source = new FileByteSource(log);
        LineAssembler lines = new LineAssembler(sink);
        long offset = 0;
        long idle = 10;
        while (true) {
            boolean alive = agentAlive.getAsBoolean();
            byte[] data = source.read(offset, 1 << 20);
            if (data.length > 0) {
                offset += data.length;
                lines.accept(data);
                idle = 10;
                continue;
            }
            if (!alive) {
                lines.finish();
                return LiveFollow.completed();
            }
            sleep(idle);
            idle = Math.min(idle * 2, 200);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KineticException("interrupted while following logs", e);
        }
    }
}
