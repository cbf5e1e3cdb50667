package dev.kinetic.examples;

import dev.kinetic.JobHandle;
import dev.kinetic.Kinetic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The README demo, in two processes, as a user on two machines would do it:
 * <pre>
 * java ... DetachedDemo submit [idFile]   # submits a ~20 s job, prints its id, and exits at once
 * java ... DetachedDemo attach ID          # another JVM: attaches by id, follows the log, prints the result
 * </pre>
 */
public final class DetachedDemo {
    private DetachedDemo() {}

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("submit")) {
            submit(args.length > 1 ? Path.of(args[1]) : null);
        } else if (args.length == 2 && args[0].equals("attach")) {
            attach(args[1]);
        } else {
            System.err.println("usage: DetachedDemo submit [ID_FILE] | DetachedDemo attach JOB_ID");
            System.exit(2);
        }
    }

    static void submit(Path idFile) throws Exception {
        int steps = Integer.getInteger("demo.steps", 20);
        var train = Kinetic.remote((Double lr) -> Trainer.train(lr, steps))
                .displayName("train")
                .label("demo", "readme");
        JobHandle<Trainer.Result> job = train.runAsync(0.01);
        System.out.println(
                "submitted " + job.id() + " (" + job.status() + "); this JVM exits now, the job keeps running");
        if (idFile != null) {
            Files.writeString(idFile, job.id());
        }
    }

    static void attach(String id) {
        JobHandle<Trainer.Result> job = Kinetic.attach(id, Trainer.Result.class);
        System.out.println("attached to " + job.id() + ": " + job.describe().status());
        job.followLogs(line -> System.out.println("  | " + line));
        Trainer.Result result = job.result(Duration.ofMinutes(5));
        System.out.println("result: " + result);
        System.out.println("status after collecting: " + job.status() + " (artifacts cleaned up)");
    }
}
