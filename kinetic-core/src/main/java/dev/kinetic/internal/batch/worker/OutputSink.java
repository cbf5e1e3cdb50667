package dev.kinetic.internal.batch.worker;

import dev.kinetic.internal.log.StoreLogWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the task JVM's output goes: always the worker's own stdout (its live log: the pod log, the local output file),
 * and while an input runs also that input's store log and, on the local backend, its live output file.
 */
class OutputSink {
    private static final OutputStream STDOUT = new FileOutputStream(FileDescriptor.out);

    /** The worker's own output only: between inputs. */
    static final OutputSink WORKER = new OutputSink();

    void write(byte[] data, int offset, int length) {
        try {
            STDOUT.write(data, offset, length);
            STDOUT.flush();
        } catch (IOException e) {
            // the worker's own stdout is gone (its log file deleted): the input's log still gets the bytes
        }
    }

    /** An input's output: its store log and, when given, its live file. */
    static final class Input extends OutputSink {
        private final StoreLogWriter log;
        private final OutputStream live;

        Input(StoreLogWriter log, Path liveFile) throws IOException {
            this.log = log;
            this.live = liveFile == null
                    ? null
                    : java.nio.file.Files.newOutputStream(
                            liveFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }

        @Override
        void write(byte[] data, int offset, int length) {
            super.write(data, offset, length);
            log.write(data, offset, length);
            if (live != null) {
                try {
                    live.write(data, offset, length);
                    live.flush();
                } catch (IOException e) {
                    // the live file is a convenience; the store log has everything
                }
            }
        }

        void flush() {
            log.flush();
        }

        /** Stores the log's last bytes and closes its segment, as a job's agent does at its end. */
        void close() {
            try {
                log.close();
            } catch (RuntimeException e) {
                System.err.println("kinetic worker: could not close the log (its chunks stay readable): " + e);
                try {
                    log.flush();
                } catch (RuntimeException again) {
                    // the chunks written so far stay readable
                }
            }
            if (live != null) {
                try {
                    live.close();
                } catch (IOException e) {
                    // nothing left to lose
                }
            }
        }
    }
}
