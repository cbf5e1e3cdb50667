package dev.kinetic.testing;

import dev.kinetic.Data;
import dev.kinetic.KineticSession;
import dev.kinetic.spi.store.TransferListener;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** A submitting JVM that SIGKILLs itself in the middle of uploading a Data directory (after its 3rd file). */
public final class UploadAndDie {
    private UploadAndDie() {}

    public static void main(String[] args) throws Exception {
        AtomicInteger files = new AtomicInteger();
        KineticSession session = KineticSession.fromEnvironment().onTransfer(new TransferListener() {
            @Override
            public void finished(String key, long totalBytes) {
                if (files.incrementAndGet() == 3) {
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
            }
        });
        session.remote((Data d) -> 1).runAsync(Data.of(Path.of(args[0])));
        System.out.println("NOT KILLED");
    }
}
