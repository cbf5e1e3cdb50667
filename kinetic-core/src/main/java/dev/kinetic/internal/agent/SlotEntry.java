package dev.kinetic.internal.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One local job's claim on the machine's capacity ({@link LocalSlots}), as a small text file: waiting in the queue, or
 * holding its share while it runs. The submitter writes it with the job's request and the capacity of its settings;
 * every agent deciding who runs reads it. A claim is live while one of its hosts' agents is (each host's state
 * directory holds that agent's pid file), so a killed agent frees its share without anyone's help.
 *
 * <p>Not a record, and parsed without regular expressions: agents read it on their start-up path (see {@link Agent}).
 */
public final class SlotEntry {
    /** A claim none of whose agents has a pid file yet is being launched, for at most this long. */
    static final Duration LAUNCH_GRACE = Duration.ofSeconds(15);

    private final String jobId;
    private final long cpuMillis;
    private final long memoryBytes;
    private final long capacityCpuMillis;
    private final long capacityMemoryBytes;
    private final List<Path> hosts;

    /**
     * @param jobId the job
     * @param cpuMillis its CPU request in thousandths of a slot (a slot is one CPU); for every host together
     * @param memoryBytes its memory request, for every host together; 0 for none
     * @param capacityCpuMillis the machine's slots, in thousandths, as the submitter's settings say
     * @param capacityMemoryBytes the memory jobs may request together (about 80 % of the machine's)
     * @param hosts each host's state directory, in index order (its agent's pid file is {@code pid} there)
     */
    public SlotEntry(
            String jobId,
            long cpuMillis,
            long memoryBytes,
            long capacityCpuMillis,
            long capacityMemoryBytes,
            List<Path> hosts) {
        this.jobId = jobId;
        this.cpuMillis = cpuMillis;
        this.memoryBytes = memoryBytes;
        this.capacityCpuMillis = capacityCpuMillis;
        this.capacityMemoryBytes = capacityMemoryBytes;
        this.hosts = List.copyOf(hosts);
    }

    public String jobId() {
        return jobId;
    }

    public long cpuMillis() {
        return cpuMillis;
    }

    public long memoryBytes() {
        return memoryBytes;
    }

    public long capacityCpuMillis() {
        return capacityCpuMillis;
    }

    public long capacityMemoryBytes() {
        return capacityMemoryBytes;
    }

    public List<Path> hosts() {
        return hosts;
    }

    /** The slots it takes: its request, at most the whole machine (a job larger than the machine runs alone). */
    long cpuTaken() {
        return Math.min(cpuMillis, capacityCpuMillis);
    }

    /** The memory it takes, at most all there is. */
    long memoryTaken() {
        return Math.min(memoryBytes, capacityMemoryBytes);
    }

    /** The file's text: one {@code name=value} per line. */
    String text() {
        StringBuilder b = new StringBuilder();
        b.append("job=").append(jobId).append('\n');
        b.append("cpu-millis=").append(cpuMillis).append('\n');
        b.append("memory-bytes=").append(memoryBytes).append('\n');
        b.append("capacity-cpu-millis=").append(capacityCpuMillis).append('\n');
        b.append("capacity-memory-bytes=").append(capacityMemoryBytes).append('\n');
        for (Path h : hosts) {
            b.append("host=").append(h).append('\n');
        }
        return b.toString();
    }

    /** Reads a claim file; empty when it is gone or is not a claim (a half-written file is never visible). */
    static Optional<SlotEntry> read(Path file) {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
        String job = null;
        long cpu = -1;
        long memory = 0;
        long capacityCpu = -1;
        long capacityMemory = Long.MAX_VALUE;
        List<Path> hosts = new ArrayList<>();
        int start = 0;
        try {
            while (start < text.length()) {
                int end = text.indexOf('\n', start);
                String line = text.substring(start, end < 0 ? text.length() : end);
                start = end < 0 ? text.length() : end + 1;
                int eq = line.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String name = line.substring(0, eq);
                String value = line.substring(eq + 1);
                if (name.equals("job")) {
                    job = value;
                } else if (name.equals("cpu-millis")) {
                    cpu = Long.parseLong(value);
                } else if (name.equals("memory-bytes")) {
                    memory = Long.parseLong(value);
                } else if (name.equals("capacity-cpu-millis")) {
                    capacityCpu = Long.parseLong(value);
                } else if (name.equals("capacity-memory-bytes")) {
                    capacityMemory = Long.parseLong(value);
                } else if (name.equals("host")) {
                    hosts.add(Path.of(value));
                }
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (job == null || cpu < 0 || capacityCpu <= 0 || hosts.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SlotEntry(job, cpu, memory, capacityCpu, capacityMemory, hosts));
    }

    /**
     * Whether the claim still stands: one of its hosts' agents runs (other than host {@code except}, or -1), or waits
     * to be started ({@link DeferredLaunch}), or none has a pid file yet and the claim is younger than
     * {@link #LAUNCH_GRACE} (its submitter is still launching them).
     */
    boolean live(Path file, int except) {
        boolean anyPidFile = false;
        for (int i = 0; i < hosts.size(); i++) {
            Path pid = hosts.get(i).resolve("pid");
            String text;
            try {
                text = new String(Files.readAllBytes(pid), StandardCharsets.UTF_8);
            } catch (IOException e) {
                if (i != except && Files.exists(hosts.get(i).resolve(DeferredLaunch.FILE))) {
                    return true; // kept for later: it starts when the job comes near the head of the queue
                }
                continue; // not launched yet, or cleaned up
            }
            anyPidFile = true;
            if (i == except) {
                continue;
            }
            try {
                if (ProcessIdentity.parse(text).running().isPresent()) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                // a damaged pid file names no process
            }
        }
        if (anyPidFile || except >= 0) {
            return false;
        }
        try {
            long age =
                    System.currentTimeMillis() - Files.getLastModifiedTime(file).toMillis();
            return age < LAUNCH_GRACE.toMillis();
        } catch (IOException e) {
            return false;
        }
    }
}
