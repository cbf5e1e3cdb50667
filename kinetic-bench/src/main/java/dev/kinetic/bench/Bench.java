package dev.kinetic.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinetic.Cleanup;
import dev.kinetic.JobHandle;
import dev.kinetic.KineticSession;
import dev.kinetic.internal.store.DirectoryBlobStore;
import dev.kinetic.spi.Json;
import dev.kinetic.spi.config.SettingsResolver;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.BlobStores;
import dev.kinetic.store.s3.S3MockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures Kinetic against bare baselines and prints one line per figure ({@code <name> <value> <unit>}), also
 * written as JSON to {@code kinetic-bench/target/bench.json} (or {@code --out FILE}).
 * <pre>
 * java -jar kinetic-bench/target/kinetic-bench.jar [--quick] [--out FILE] [--only GROUP,...]
 * </pre>
 * Everything runs in a temporary Kinetic home, so the user's jobs are untouched.
 */
public final class Bench {
    /** The figure groups, in the order they run. */
    private static final String[] GROUPS = {"local", "latency", "tail", "list", "resubmit", "gc", "batch", "load"};

    private Bench() {}

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        Path out = Path.of("kinetic-bench/target/bench.json");
        java.util.Set<String> only = java.util.Set.of(GROUPS);
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.println("usage: java -jar kinetic-bench.jar [--quick] [--out FILE] [--only GROUP,...]\n"
                        + "  --quick  smaller sizes (about a minute), for CI\n"
                        + "  --out    where the JSON goes (default kinetic-bench/target/bench.json)\n"
                        + "  --only   run only these groups: " + String.join(",", GROUPS));
                return;
            }
            if (i + 1 < args.length && args[i].equals("--out")) {
                out = Path.of(args[++i]);
            } else if (i + 1 < args.length && args[i].equals("--only")) {
                only = java.util.Set.of(args[++i].split(","));
                if (!java.util.Set.of(GROUPS).containsAll(only)) {
                    System.err.println(
                            "unknown group in --only " + args[i] + "; the groups are " + String.join(",", GROUPS));
                    System.exit(2);
                }
            } else if (!args[i].equals("--quick")) {
                System.err.println("unknown argument " + args[i] + "; see --help");
                System.exit(2);
            }
        }
        Path root = Files.createTempDirectory("kinetic-bench");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("KINETIC_HOME", root.resolve("home").toString());
        env.put("KINETIC_STORE", root.resolve("home/store").toUri().toString());
        env.remove("KINETIC_PROFILE");
        env.remove("KINETIC_BACKEND");
        List<Figure> figures = new ArrayList<>();
        try (KineticSession session = KineticSession.open(new SettingsResolver(env).resolve(Map.of()))) {
            int runs = quick ? 3 : 10;
            if (only.contains("local")) {
                figures.addAll(new LocalOverhead(session, runs).measure());
                figures.addAll(withoutClassArchives(root, env, runs));
            }
            if (only.contains("latency")) {
                figures.add(resultLatency(session, runs));
                figures.add(new KubernetesLatency(root.resolve("kubernetes"), runs).measure());
            }
            if (only.contains("tail")) {
                figures.addAll(tailScaling(root, quick));
            }
            if (only.contains("list")) {
                figures.add(new ListJobs(session, quick ? 2_000 : 10_000).measure());
            }
            if (only.contains("resubmit")) {
                figures.addAll(
                        new Resubmit(session, root.resolve("classpath"), quick ? 40L << 20 : 200L << 20).measure());
            }
            if (only.contains("gc")) {
                figures.add(new GcScale(root.resolve("gc"), quick ? 1_000 : 10_000, quick ? 5_000 : 50_000).measure());
            }
            if (only.contains("batch")) {
                figures.addAll(new BatchOverhead(session, quick ? 20 : 1000).measure());
                figures.addAll(new BatchModelOnce(session, quick ? 40 : 200).measure());
            }
            if (only.contains("load")) {
                // Issue 19's run: 200 jobs from 5 JVMs at once, with the default local slots.
                figures.addAll(new LoadRun(root, env, 5, quick ? 8 : 40).measure());
            }
        }
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put(
                "machine",
                Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                        + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version"));
        json.put("quick", quick);
        ArrayNode list = json.putArray("figures");
        for (Figure f : figures) {
            System.out.println(f.line());
            ObjectNode n = list.addObject();
            n.put("name", f.name());
            n.put("value", f.value());
            n.put("unit", f.unit());
            if (f.target() != null) {
                n.put("target", f.target());
            }
            n.put("detail", f.detail());
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        System.err.println("wrote " + out.toAbsolutePath());
    }

    /** tail(100) on a big log against a 1 MiB one, on the directory store and on S3 (S3Mock on 127.0.0.1). */
    private static List<Figure> tailScaling(Path root, boolean quick) {
        long big = quick ? 64L << 20 : 1L << 30;
        List<Figure> figures = new ArrayList<>();
        try (BlobStore dir = new DirectoryBlobStore(root.resolve("tail"))) {
            figures.addAll(new TailScaling("tail", dir, big).measure());
        }
        try (S3MockServer s3 = S3MockServer.start();
                BlobStore bucket = BlobStores.open(s3.storeUri("tail"), s3.environment())) {
            figures.addAll(new TailScaling("tail.s3", bucket, big).measure());
        } catch (RuntimeException e) {
            System.err.println("tail.s3 skipped: S3Mock did not start (" + e.getMessage() + ")");
        }
        return figures;
    }

    /** The same trivial job with the local backend's class-data-sharing archives off, for comparison. */
    private static List<Figure> withoutClassArchives(Path root, Map<String, String> env, int runs) throws Exception {
        Map<String, String> plain = new HashMap<>(env);
        plain.put("KINETIC_HOME", root.resolve("home-no-cds").toString());
        plain.put("KINETIC_STORE", root.resolve("home-no-cds/store").toUri().toString());
        plain.put(dev.kinetic.internal.local.LocalBackend.CLASS_ARCHIVES_ENV, "off");
        try (KineticSession session = KineticSession.open(new SettingsResolver(plain).resolve(Map.of()))) {
            return new LocalOverhead(session, runs, "local.no-cds", null).measure();
        }
    }

    /** From the function's end (its own clock reading) to result() returning in the submitter, median. */
    static Figure resultLatency(KineticSession session, int runs) {
        List<Double> latencies = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            JobHandle<Long> job = session.remote(BenchFunctions::endTime).runAsync();
            long ended = job.result(Duration.ofMinutes(2), Cleanup.ALL);
            latencies.add((double) (System.currentTimeMillis() - ended));
        }
        return new Figure(
                "result.latency.local",
                Stats.median(latencies),
                "ms",
                "<= 1000",
                "function end to result() return, median of " + runs + ": " + latencies);
    }
}
