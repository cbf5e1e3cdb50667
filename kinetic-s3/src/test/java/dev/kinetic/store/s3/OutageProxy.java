package dev.kinetic.store.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP forwarder on 127.0.0.1 in front of S3Mock whose endpoint can go away and come back at a chosen instant, as
 * clients see a store server that stops and restarts: {@link #down()} closes the listening socket (new connections
 * are refused) and resets every open connection (requests in flight fail mid-body); {@link #up()} listens on the same
 * port again. S3Mock itself keeps running with its data, so an outage can be as short as a test needs; restarting
 * S3Mock takes several seconds, longer than the retry windows some faults must fall inside.
 *
 * <pre>{@code
 * try (OutageProxy proxy = OutageProxy.start(s3.endpoint())) {
 *     env.putAll(proxy.environment(s3));          // KINETIC_S3_ENDPOINT is the proxy
 *     proxy.afterUpstreamBytes(4 << 20, proxy::down);   // the endpoint dies 4 MiB into the next upload
 * }
 * }</pre>
 *
 * <p>Bytes are forwarded as they arrive, so large uploads stream; nothing is parsed.
 */
final class OutageProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong upstreamBytes = new AtomicLong();
    private final AtomicReference<Trigger> trigger = new AtomicReference<>();
    private ServerSocket listener;

    private record Trigger(long atBytes, Runnable action) {}

    private OutageProxy(InetSocketAddress target, int port) {
        this.target = target;
        this.port = port;
    }

    /** Starts forwarding {@code 127.0.0.1:<free port>} to {@code target} ({@code http://host:port}). */
    static OutageProxy start(URI target) {
        try {
            ServerSocket first = new ServerSocket();
            first.setReuseAddress(true);
            first.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            OutageProxy proxy =
                    new OutageProxy(new InetSocketAddress(target.getHost(), target.getPort()), first.getLocalPort());
            proxy.listen(first);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the outage proxy: " + e.getMessage(), e);
        }
    }

    /** {@code http://127.0.0.1:<port>}, the same before and after an outage. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** {@code s3}'s client environment with {@code KINETIC_S3_ENDPOINT} pointing here. */
    Map<String, String> environment(S3MockServer s3) {
        Map<String, String> env = new HashMap<>(s3.environment());
        env.put("KINETIC_S3_ENDPOINT", endpoint().toString());
        return env;
    }

    synchronized boolean isUp() {
        return listener != null;
    }

    /** The endpoint goes away: new connections are refused, open ones are reset. */
    synchronized void down() {
        if (listener == null) {
            return;
        }
        try {
            listener.close();
        } catch (IOException e) {
            // closed either way
        }
        listener = null;
        for (Socket s : open) {
            reset(s);
        }
        open.clear();
    }

    /** The endpoint is back on the same port. */
    synchronized void up() {
        if (listener != null) {
            return;
        }
        try {
            ServerSocket again = new ServerSocket();
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            listen(again);
        } catch (IOException e) {
            throw new UncheckedIOException("could not listen on port " + port + " again: " + e.getMessage(), e);
        }
    }

    /** Bytes forwarded from clients to the server so far. */
    long upstreamBytes() {
        return upstreamBytes.get();
    }

    /**
     * Runs {@code action} once, on the forwarding thread, as soon as {@code moreBytes} more bytes have gone from
     * clients to the server; the bytes that crossed the mark are already forwarded.
     */
    void afterUpstreamBytes(long moreBytes, Runnable action) {
        trigger.set(new Trigger(upstreamBytes.get() + moreBytes, action));
    }

    @Override
    public void close() {
        down();
    }

    private void listen(ServerSocket socket) {
        listener = socket;
        Thread acceptor = new Thread(() -> accept(socket), "outage-proxy-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept(ServerSocket socket) {
        while (true) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return; // closed by down()
            }
            Socket server = new Socket();
            try {
                server.connect(target, 5_000);
            } catch (IOException e) {
                reset(client); // the server behind is down too: the client sees its connection reset
                reset(server);
                continue;
            }
            synchronized (this) {
                if (listener != socket) {
                    reset(client);
                    reset(server);
                    continue;
                }
                open.add(client);
                open.add(server);
            }
            AtomicInteger running = new AtomicInteger(2);
            pump(client, server, true, running);
            pump(server, client, false, running);
        }
    }

    /** Copies one direction; the second of the pair to finish closes both sockets. */
    private void pump(Socket from, Socket to, boolean upstream, AtomicInteger running) {
        Thread t = new Thread(
                () -> {
                    byte[] buffer = new byte[64 * 1024];
                    try {
                        InputStream in = from.getInputStream();
                        OutputStream out = to.getOutputStream();
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            out.write(buffer, 0, n);
                            out.flush();
                            if (upstream) {
                                long total = upstreamBytes.addAndGet(n);
                                Trigger armed = trigger.get();
                                if (armed != null && total >= armed.atBytes() && trigger.compareAndSet(armed, null)) {
                                    armed.action().run();
                                }
                            }
                        }
                        to.shutdownOutput(); // pass the half-close on
                    } catch (IOException e) {
                        reset(from);
                        reset(to);
                    } finally {
                        if (running.decrementAndGet() == 0) {
                            open.remove(from);
                            open.remove(to);
                            close(from);
                            close(to);
                        }
                    }
                },
                "outage-proxy-" + (upstream ? "up-" : "down-") + port);
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** Closes with RST, as a crashed peer's kernel would. */
    private static void reset(Socket s) {
        try {
            if (!s.isClosed()) {
                s.setSoLinger(true, 0);
            }
        } catch (SocketException e) {
            // already gone
        }
        try {
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
