package dev.kinetic.testing;

/** Functions that jobs in tests run; static methods so lambdas capture nothing by accident. */
public final class Jobs {
    private Jobs() {}

    public static int sleepThen(long millis, int value) throws InterruptedException {
        System.out.println("sleeping " + millis + " ms");
        Thread.sleep(millis);
        System.out.println("done sleeping");
        return value;
    }

    public static int failWith(String message) {
        throw new IllegalStateException(message);
    }

    /** Prints the process ids the test needs to kill the agent or the task, then waits. */
    public static int printPidsAndWait() throws InterruptedException {
        ProcessHandle self = ProcessHandle.current();
        System.out.println("task-pid " + self.pid());
        System.out.println("agent-pid " + self.parent().map(ProcessHandle::pid).orElse(-1L));
        Thread.sleep(120_000);
        return 0;
    }

    /** Ten times the input, except that inputs 2 and 5 throw. */
    public static int tenTimesUnlessTwoOrFive(int i) {
        if (i == 2 || i == 5) {
            throw new IllegalArgumentException("input " + i + " is bad");
        }
        return i * 10;
    }

    /** How many times this JVM has called {@link #countCalls}: static state a batch worker keeps across inputs. */
    private static int calls;

    /** This JVM's call count (1 on a JVM's first call) and its pid, as "count@pid". */
    public static synchronized String countCalls(int ignored) {
        calls++;
        return calls + "@" + ProcessHandle.current().pid();
    }

    /**
     * Sleeps {@code millis}, then records that input {@code index} completed by creating a file in {@code dir} named
     * after the index and this JVM's pid; returns the index.
     */
    public static int sleepThenRecord(long millis, int index, String dir) throws Exception {
        System.out.println("input " + index + " started");
        Thread.sleep(millis);
        java.nio.file.Files.createFile(
                java.nio.file.Path.of(dir, index + "-" + ProcessHandle.current().pid()));
        return index;
    }

    /** True the first time it is called with {@code marker} (on any machine sharing the path), false after. */
    public static boolean firstTime(String marker) {
        try {
            java.nio.file.Files.createFile(java.nio.file.Path.of(marker));
            return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return false;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
