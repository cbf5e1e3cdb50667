package dev.kinetic.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP relay in front of S3Mock that writes S3Mock's interim {@code HTTP/1.1 100 } (Tomcat sends no reason phrase)
 * as {@code HTTP/1.1 100 Continue}, as AWS S3 does. Everything else passes byte for byte.
 *
 * <p>Why: the {@code aws} command line sends {@code Expect: 100-continue} with every upload, and the botocore inside
 * Debian's awscli 2.9 only recognizes a 100 response that carries a reason phrase; without one it reads the blank
 * line after it as the final status line and fails with "Connection was closed before we received a valid response"
 * (https://github.com/boto/botocore/issues/3455, fixed in botocore 1.40.21; awscli v2 still bundles the old code,
 * https://github.com/aws/aws-cli/pull/9702). The reason phrase is optional (RFC 9110 15.1), so neither side is wrong;
 * real S3 sends it, and the relay makes S3Mock look like real S3 in this one respect.
 *
 * <p>The interim response always begins a read from the server: the server sends it while it waits for the request
 * body, and can send nothing else on that connection until the client, having seen it, sends the body.
 */
final class ContinueReasonRelay implements AutoCloseable {
    private static final byte[] BARE = "HTTP/1.1 100 \r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WITH_REASON = "HTTP/1.1 100 Continue\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final URI target;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "continue-relay");
        t.setDaemon(true);
        return t;
    });

    private ContinueReasonRelay(ServerSocket server, URI target) {
        this.server = server;
        this.target = target;
    }

    /** Relays 127.0.0.1:&lt;free port&gt; to {@code target} ({@code http://host:port}). */
    static ContinueReasonRelay start(URI target) throws IOException {
        ContinueReasonRelay relay =
                new ContinueReasonRelay(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), target);
        relay.threads.execute(relay::accept);
        return relay;
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // the accept loop ends either way
        }
        threads.shutdownNow();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getHost(), target.getPort());
                threads.execute(() -> pump(client, upstream, false));
                threads.execute(() -> pump(upstream, client, true));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void pump(Socket from, Socket to, boolean fromServer) {
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (fromServer && n >= BARE.length && Arrays.equals(buffer, 0, BARE.length, BARE, 0, BARE.length)) {
                    out.write(WITH_REASON);
                    out.write(buffer, BARE.length, n - BARE.length);
                } else {
                    out.write(buffer, 0, n);
                }
                out.flush();
            }
        } catch (IOException e) {
            // the other side closed the connection
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
