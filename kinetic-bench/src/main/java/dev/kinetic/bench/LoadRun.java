package dev.kinetic.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many jobs from several JVMs at once on the local backend with its default slots (one per core), as issue 19 tried
 * it: before slots, 200 jobs from 5 JVMs started 400 JVMs side by side. Measures the wall time until every submitter
 * has collected its results, the most JVMs of the run alive at once (submitters, agents, task JVMs; sampled every
 * 100 ms from the process table, by the run's home in their command lines), the most task JVMs at once (never more
 * than the slots), and whether every result is right.
 */
final class LoadRun {
    private final Path home;
    private final Map<String, String> env;
    private final int submitters;
    private final int jobsEach;
    private final String slotsText;

    LoadRun(Path root, Map<String, String> baseEnv, int submitters, int jobsEach) {
        this.home = root.resolve("load-home");
        this.env = new java.util.HashMap<>(baseEnv);
        env.put("KINETIC_HOME", home.toString());
        env.put("KINETIC_STORE", home.resolve("store").toUri().toString());
        env.remove("KINETIC_LOCAL_SLOTS"); // the default: one per core
        // To compare with the local backend before slots: KINETIC_BENCH_LOAD_SLOTS=1000 (as good as unlimited).
        String slots = baseEnv.get("KINETIC_BENCH_LOAD_SLOTS");
        if (slots != null) {
            env.put("KINETIC_LOCAL_SLOTS", slots);
        }
        this.slotsText = slots == null
                ? "default local-slots (" + Runtime.getRuntime().availableProcessors() + ")"
                : "local-slots " + slots;
        this.submitters = submitters;
        this.jobsEach = jobsEach;
    }

    List<Figure> measure() throws Exception {
        int total = submitters * jobsEach;
        AtomicInteger peakJvms = new AtomicInteger();
        AtomicInteger peakTasks = new AtomicInteger();
        AtomicInteger peakAgents = new AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                int[] counts = count();
                peakJvms.accumulateAndGet(counts[0], Math::max);
                peakAgents.accumulateAndGet(counts[1], Math::max);
                peakTasks.accumulateAndGet(counts[2], Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        Files.createDirectories(home);
        long t0 = System.nanoTime();
        sampler.start();
        List<Process> processes = new ArrayList<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int s = 0; s < submitters; s++) {
            ProcessBuilder b = new ProcessBuilder(
                            java,
                            "-cp",
                            System.getProperty("java.class.path"),
                            LoadSubmitter.class.getName(),
                            home.toString(),
                            String.valueOf(jobsEach),
                            String.valueOf(s * jobsEach))
                    .redirectError(home.resolve("submitter-" + s + ".err").toFile());
            b.environment().putAll(env);
            processes.add(b.start());
        }
        int right = 0;
        for (Process p : processes) {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("RIGHT ")) {
                        right += Integer.parseInt(line.split(" ")[1]);
                    }
                }
            }
            if (!p.waitFor(60, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        sampler.interrupt();
        sampler.join();
        int slots = Runtime.getRuntime().availableProcessors();
        String how = total + " trivial jobs from " + submitters + " JVMs at once, " + slotsText;
        return List.of(
                new Figure("load.wall.s", seconds, "s", null, how + ": until every submitter had its results"),
                new Figure(
                        "load.peak.jvms",
                        peakJvms.get(),
                        "jvms",
                        null,
                        how + ": submitters, agents and task JVMs alive at once (before slots: 2 per job, 400)"),
                new Figure("load.peak.agents", peakAgents.get(), "jvms", null, how + ": agents alive at once"),
                new Figure(
                        "load.peak.tasks",
                        peakTasks.get(),
                        "jvms",
                        "<= " + slots,
                        how + ": task JVMs alive at once, never more than the slots"),
                new Figure("load.results.right", right, "of " + total, "= " + total, how + ": results right"));
    }

    /** JVMs of this run alive now: all, agents, task JVMs. */
    private int[] count() {
        String marker = home.toString();
        int[] counts = new int[3];
        try (var all = ProcessHandle.allProcesses()) {
            all.forEach(p -> {
                Optional<String> cmd = p.info().commandLine();
                if (cmd.isEmpty() || !cmd.get().contains(marker) || !cmd.get().contains("java")) {
                    return;
                }
                counts[0]++;
                if (cmd.get().contains("dev.kinetic.internal.agent.Agent ")) {
                    counts[1]++;
                } else if (cmd.get().contains("dev.kinetic.internal.agent.TaskMain")) {
                    counts[2]++;
                }
            });
        }
        return counts;
    }
}
