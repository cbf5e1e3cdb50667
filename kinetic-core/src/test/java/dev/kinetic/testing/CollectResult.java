package dev.kinetic.testing;

import dev.kinetic.KineticException;
import dev.kinetic.KineticSession;
import java.time.Duration;

/** A second process collecting a job's result: prints {@code VALUE <v>} or {@code ERROR <type>: <message>}. */
public final class CollectResult {
    private CollectResult() {}

    public static void main(String[] args) {
        try (KineticSession session = KineticSession.fromEnvironment()) {
            Object value = session.attach(args[0]).result(Duration.ofSeconds(60));
            System.out.println("VALUE " + value);
        } catch (KineticException e) {
            System.out.println("ERROR " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
