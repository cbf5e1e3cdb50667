package dev.kinetic.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the hosts of multi-host jobs in tests run: they find each other only through the environment contract. */
public final class GangJobs {
    private GangJobs() {}

    /**
     * Every host sends its index to host 0 over TCP at {@code KINETIC_COORDINATOR_ADDRESS}; host 0 returns the sum of
     * what it received (for 4 hosts: 1 + 2 + 3 = 6), the others return their index.
     */
    public static int sumOfIndices() throws IOException, InterruptedException {
        int index = Integer.parseInt(System.getenv("KINETIC_HOST_INDEX"));
        int count = Integer.parseInt(System.getenv("KINETIC_HOST_COUNT"));
        String coordinator = System.getenv("KINETIC_COORDINATOR_ADDRESS");
        System.out.println("host " + index + " of " + count + ": coordinator " + coordinator + ", hosts "
                + System.getenv("KINETIC_HOSTS") + ", task-pid "
                + ProcessHandle.current().pid());
        writeOutput(index);
        String host = coordinator.substring(0, coordinator.lastIndexOf(':'));
        int port = Integer.parseInt(coordinator.substring(coordinator.lastIndexOf(':') + 1));
        if (index == 0) {
            int sum = 0;
            try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getByName(host))) {
                for (int i = 1; i < count; i++) {
                    try (Socket peer = server.accept();
                            DataInputStream in = new DataInputStream(peer.getInputStream())) {
                        int got = in.readInt();
                        System.out.println("host 0 received " + got);
                        sum += got;
                    }
                }
            }
            System.out.println("sum " + sum);
            return sum;
        }
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (true) {
            try (Socket s = new Socket(host, port);
                    DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
                out.writeInt(index);
                System.out.println("host " + index + " sent " + index);
                return index;
            } catch (ConnectException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(100); // host 0 is not listening yet
            }
        }
    }

    /** Host {@code bad} throws after a second; every other host prints its pid and sleeps as if in a long step. */
    public static int failOn(int bad) throws InterruptedException {
        int index = Integer.parseInt(System.getenv("KINETIC_HOST_INDEX"));
        System.out.println(
                "host " + index + " task-pid " + ProcessHandle.current().pid());
        if (index == bad) {
            Thread.sleep(1000);
            throw new IllegalStateException("host " + index + " ran out of patience");
        }
        Thread.sleep(120_000);
        return index;
    }

    /** Every host prints its pid and sleeps. */
    public static int sleepOnEveryHost() throws InterruptedException {
        int index = Integer.parseInt(System.getenv("KINETIC_HOST_INDEX"));
        System.out.println(
                "host " + index + " task-pid " + ProcessHandle.current().pid());
        Thread.sleep(120_000);
        return index;
    }

    private static void writeOutput(int index) throws IOException {
        Path dir = Path.of(System.getenv("KINETIC_OUTPUT_DIR"));
        Files.writeString(dir.resolve("part-" + index + ".txt"), "from host " + index);
    }
}
