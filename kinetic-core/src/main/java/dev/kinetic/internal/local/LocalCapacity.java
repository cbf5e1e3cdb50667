package dev.kinetic.internal.local;

import dev.kinetic.KineticException;
import dev.kinetic.internal.agent.SlotEntry;
import dev.kinetic.spi.JobRecord;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How much the local backend may run at once, and what a job asks of it: the machine as a one-node cluster.
 *
 * <ul>
 *   <li>{@code local-slots} ({@code KINETIC_LOCAL_SLOTS}, default: the number of cores): how many jobs run at once. A
 *       job's {@code cpu} request (default 1; {@code 500m}, {@code 2}) counts against them, per host.
 *   <li>Memory: a job's {@code memory} request ({@code 512Mi}, {@code 8Gi}; default none), per host, counts against
 *       about 80 % of the machine's memory.
 * </ul>
 *
 * {@code cpu} and {@code memory} are the same settings as on Kubernetes (a job's {@code backendSetting}, else
 * {@code KINETIC_CPU} / {@code KINETIC_MEMORY}), so what fits locally is what was asked of the cluster.
 *
 * @param slots how many jobs of 1 CPU run at once
 * @param memoryBytes the memory the jobs' requests may add up to
 * @param cpuDefault the session's {@code cpu} setting, or null (1 CPU)
 * @param memoryDefault the session's {@code memory} setting, or null (none)
 */
public record LocalCapacity(int slots, long memoryBytes, String cpuDefault, String memoryDefault) {
    /** The setting's name; its environment variable is {@code KINETIC_LOCAL_SLOTS}. */
    public static final String SLOTS = "local-slots";

    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";

    /** The part of the machine's memory jobs may request together; the rest is for the system and the agents. */
    static final double MEMORY_SHARE = 0.8;

    /**
     * The capacity the settings give.
     *
     * @throws KineticException naming a bad {@code local-slots}, {@code cpu} or {@code memory} value and the way out
     */
    public static LocalCapacity from(Map<String, String> settings) {
        String raw = settings.get(SLOTS);
        int cores = Runtime.getRuntime().availableProcessors();
        int slots = cores;
        if (raw != null && !raw.isBlank()) {
            try {
                slots = Integer.parseInt(raw.trim());
            } catch (NumberFormatException e) {
                slots = 0;
            }
            if (slots < 1) {
                throw new KineticException("invalid setting " + SLOTS + "='" + raw + "' (KINETIC_LOCAL_SLOTS): use how "
                        + "many jobs may run at once on this machine, a whole number of 1 or more (default: the "
                        + "number of cores, " + cores + ")");
            }
        }
        String cpu = blankToNull(settings.get(CPU));
        String memory = blankToNull(settings.get(MEMORY));
        Resources.cpuMillis(cpu, "the cpu setting (KINETIC_CPU)");
        Resources.memoryBytes(memory, "the memory setting (KINETIC_MEMORY)");
        return new LocalCapacity(slots, (long) (machineMemory() * MEMORY_SHARE), cpu, memory);
    }

    /** Every core, 80 % of the memory, no defaults. */
    public static LocalCapacity ofMachine() {
        return from(Map.of());
    }

    /**
     * The claim of a recorded job, for all its hosts together: each host asks the job's {@code cpu} and
     * {@code memory} (its own backend settings, else the session's).
     *
     * @throws KineticException naming a bad request
     */
    SlotEntry claim(JobRecord record, List<Path> hostStates) {
        String cpu = record.backendSettings().getOrDefault(CPU, cpuDefault);
        String memory = record.backendSettings().getOrDefault(MEMORY, memoryDefault);
        long cpuMillis = cpu == null ? 1000 : Resources.cpuMillis(cpu, "the job's cpu request");
        long memoryBytes = memory == null ? 0 : Resources.memoryBytes(memory, "the job's memory request");
        int hosts = hostStates.size();
        return new SlotEntry(
                record.id().value(),
                cpuMillis * hosts,
                memoryBytes * hosts,
                slots * 1000L,
                this.memoryBytes,
                hostStates);
    }

    private static long machineMemory() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory() * 4; // the JVM's default heap is a quarter of the machine
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
