package dev.kinetic.internal.batch.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The task JVM's output split at each call's end marker, whatever the reads' boundaries. */
class OutputRouterTest {
    private static final class Capture extends OutputSink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        synchronized void write(byte[] data, int offset, int length) {
            bytes.write(data, offset, length);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Hands out its bytes one at a time, so a marker arrives across many reads. */
    private static final class Trickle extends InputStream {
        private final InputStream in;

        Trickle(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int c = in.read();
            if (c < 0) {
                return -1;
            }
            b[off] = (byte) c;
            return 1;
        }
    }

    @Test
    void outputBeforeTheMarkerIsTheCallsAndNulsThatAreNoMarkerPassThrough() throws Exception {
        PipedOutputStream task = new PipedOutputStream();
        OutputRouter router = new OutputRouter(new Trickle(new PipedInputStream(task, 1 << 16)), "t0k");
        Capture first = new Capture();
        Capture second = new Capture();
        router.route(first);
        Thread pump = new Thread(router);
        pump.start();

        task.write("line one\npartial \u0000KINETIC-END other 1 0\n \u0000\u0000x".getBytes(StandardCharsets.UTF_8));
        task.write("\u0000KINETIC-END t0k 1 86\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(router.awaitEnd(1)).isEqualTo(86);
        router.route(second);
        task.write("two\u0000KINETIC-END t0k 2 0\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(router.awaitEnd(2)).isZero();
        task.close();
        router.awaitEof();

        assertThat(first.text()).isEqualTo("line one\npartial \u0000KINETIC-END other 1 0\n \u0000\u0000x");
        assertThat(second.text()).isEqualTo("two");
        pump.join(5000);
    }

    @Test
    void aJvmThatExitsDuringACallEndsTheWaitWithoutACode() throws Exception {
        PipedOutputStream task = new PipedOutputStream();
        OutputRouter router = new OutputRouter(new PipedInputStream(task), "abc");
        Capture sink = new Capture();
        router.route(sink);
        Thread pump = new Thread(router);
        pump.start();
        task.write("dying\u0000KINETIC".getBytes(StandardCharsets.US_ASCII));
        task.close();
        assertThat(router.awaitEnd(1)).isNull();
        assertThat(sink.text()).isEqualTo("dying\u0000KINETIC");
        pump.join(5000);
    }
}
