package dev.kinetic;

import java.util.List;

/**
 * The entry point. Wrap a function, run it as a job, and find jobs again by id from any process.
 * <pre>{@code
 * var train = Kinetic.remote((Double lr) -> Trainer.train(lr)).accelerator("l4").captureEnv("WANDB_*");
 * double loss = train.call(0.001);                 // blocks, streams the log
 * JobHandle<Double> job = train.runAsync(0.001);   // returns at once; the job runs on without this JVM
 * JobHandle<Double> again = Kinetic.attach(job.id(), Double.class);   // later, anywhere
 * }</pre>
 * Settings come from {@code KINETIC_*} environment variables and the active profile
 * ({@code $KINETIC_HOME/profiles.json}), read once: these methods share one session, created on first use and
 * closed when the JVM exits, so a service that attaches to jobs in a loop opens no client per call. Use
 * {@link KineticSession} to pass settings explicitly or to close a session yourself.
 */
public final class Kinetic {
    private static KineticSession shared;

    private Kinetic() {}

    /** The shared session; a failure to create it (a broken profile) is thrown again on the next call. */
    private static synchronized KineticSession shared() {
        if (shared == null) {
            KineticSession session = KineticSession.fromEnvironment();
            Runtime.getRuntime().addShutdownHook(new Thread(session::close, "kinetic-shared-session-close"));
            shared = session;
        }
        return shared;
    }

    /** Wraps a function of no arguments, to {@link RemoteJob#call()} or {@link RemoteJob#runAsync()}. */
    public static <T> RemoteJob<T> remote(RemoteCallable<T> function) {
        return shared().remote(function);
    }

    /** Wraps a function of one argument, to call, run detached, or fan out over many inputs. */
    public static <A, R> RemoteFunctionJob<A, R> remote(RemoteFunction<A, R> function) {
        return shared().remote(function);
    }

    /** Reattaches to a job by id. @throws JobNotFoundException if it does not exist */
    public static JobHandle<Object> attach(String id) {
        return shared().attach(id);
    }

    /** Reattaches to a job by id, with its result type. @throws JobNotFoundException if it does not exist */
    public static <T> JobHandle<T> attach(String id, Class<T> resultType) {
        return shared().attach(id, resultType);
    }

    /** Reattaches to a batch by id, from any JVM. */
    public static <R> BatchHandle<R> attachBatch(String id) {
        return shared().attachBatch(id);
    }

    /** Every job in the configured store, newest first, finished ones included. */
    public static List<JobInfo> listJobs() {
        return shared().listJobs();
    }
}
