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
}
