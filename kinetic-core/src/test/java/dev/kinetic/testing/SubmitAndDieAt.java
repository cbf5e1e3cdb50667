package dev.kinetic.testing;

import dev.kinetic.KineticSession;
import dev.kinetic.KineticSession.SubmitStep;

/** A submitting JVM that SIGKILLs itself right after the given submission step, printing the job id first. */
public final class SubmitAndDieAt {
    private SubmitAndDieAt() {}

    public static void main(String[] args) throws Exception {
        SubmitStep fatal = SubmitStep.valueOf(args[0]);
        KineticSession session = KineticSession.fromEnvironment().onSubmitStep((step, id) -> {
            if (step == fatal) {
                System.out.println("JOB " + id);
                System.out.flush();
                try {
                    new ProcessBuilder(
                                    "kill",
                                    "-9",
                                    String.valueOf(ProcessHandle.current().pid()))
                            .start()
                            .waitFor();
                    Thread.sleep(60_000);
                } catch (Exception e) {
                    Runtime.getRuntime().halt(137);
                }
            }
        });
        session.remote(() -> Jobs.sleepThen(500, 3)).displayName("doomed").runAsync();
        System.out.println("NOT KILLED");
    }
}
