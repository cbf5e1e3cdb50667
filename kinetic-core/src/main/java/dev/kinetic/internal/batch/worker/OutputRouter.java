package dev.kinetic.internal.batch.worker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Pumps the task JVM's output (stdout and stderr, one pipe) to the current {@link OutputSink}, and, for a loop JVM,
 * finds the marker that ends each call ({@code \0KINETIC-END <token> <seq> <code>\n}, written after the call's output
 * was flushed): the bytes before it are that input's, the bytes after it are not. The token is random per JVM, so
 * nothing the function prints can end a call. Output with a NUL byte that is not a marker passes through unchanged.
 */
final class OutputRouter implements Runnable {
    /** A marker's digits after its prefix: seq, space, code; anything longer is ordinary output. */
    private static final int MAX_TAIL = 32;

    private final InputStream in;
    private final byte[] prefix;
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private OutputSink sink = OutputSink.WORKER;
    private int endedSeq = -1;
    private int endedCode;
    private boolean eof;

    /** @param token the loop JVM's marker token, or null for a JVM that runs one call and exits */
    OutputRouter(InputStream in, String token) {
        this.in = in;
        this.prefix = token == null ? null : ("\u0000KINETIC-END " + token + " ").getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends what the task prints from now on to {@code next}. */
    synchronized void route(OutputSink next) {
        sink = next;
    }

    /**
     * Waits until call {@code seq} ended or the JVM's output ended (it exited).
     *
     * @return the call's code (0, or the task's failure code), or null when the JVM exited first
     */
    synchronized Integer awaitEnd(int seq) throws InterruptedException {
        while (endedSeq != seq && !eof) {
            wait();
        }
        return endedSeq == seq ? endedCode : null;
    }

    /** Waits until the JVM's output ended: everything it printed was routed. */
    synchronized void awaitEof() throws InterruptedException {
        while (!eof) {
            wait();
        }
    }

    @Override
    public void run() {
        byte[] buffer = new byte[16 * 1024];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    accept(buffer[i]);
                }
                emit();
            }
        } catch (IOException e) {
            System.err.println("kinetic worker: the task's output pump stopped: " + e);
        }
        synchronized (this) {
            out.write(held.toByteArray(), 0, held.size());
            held.reset();
            emit();
            eof = true;
            notifyAll();
        }
    }

    private void accept(byte b) {
        if (prefix == null) {
            out.write(b);
            return;
        }
        if (held.size() == 0) {
            if (b == 0) {
                held.write(b);
            } else {
                out.write(b);
            }
            return;
        }
        held.write(b);
        int n = held.size();
        byte[] h = held.toByteArray();
        if (n <= prefix.length) {
            if (h[n - 1] != prefix[n - 1]) {
                release(h);
            }
            return;
        }
        if (b == '\n') {
            String[] tail = new String(h, prefix.length, n - prefix.length - 1, StandardCharsets.US_ASCII).split(" ");
            held.reset();
            if (tail.length == 2 && isNumber(tail[0]) && isNumber(tail[1])) {
                ended(Integer.parseInt(tail[0]), Integer.parseInt(tail[1]));
            } else {
                out.write(h, 0, n);
            }
        } else if (n - prefix.length > MAX_TAIL) {
            release(h);
        }
    }

    /** Not a marker after all: the held bytes are output, except a last NUL, which may start one. */
    private void release(byte[] h) {
        held.reset();
        int keep = h[h.length - 1] == 0 ? 1 : 0;
        out.write(h, 0, h.length - keep);
        if (keep == 1) {
            held.write(0);
        }
    }

    /** The call ended: its output goes to its sink, and what follows to the worker's own output. */
    private void ended(int seq, int code) {
        emit();
        synchronized (this) {
            sink = OutputSink.WORKER;
            endedSeq = seq;
            endedCode = code;
            notifyAll();
        }
    }

    private void emit() {
        if (out.size() == 0) {
            return;
        }
        OutputSink target;
        synchronized (this) {
            target = sink;
        }
        byte[] bytes = out.toByteArray();
        out.reset();
        target.write(bytes, 0, bytes.length);
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
