package dev.kinetic.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The agent's command line, parsed. See {@link dev.kinetic.backend.AgentCommand} for the producer. */
record AgentArgs(String store, String jobId, String payloadSha, List<String> classpathShas, List<String> jvmArgs,
                 Path workDir, Path cacheDir, int retries, Path classArchives) {

    static AgentArgs parse(String[] args, Map<String, String> env) {
        String store = null;
        String job = null;
        String payload = null;
        List<String> classpath = new ArrayList<>();
        List<String> jvmArgs = new ArrayList<>();
        Path work = null;
        Path cache = null;
        int retries = 0;
        Path archives = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--jvm-arg=")) {
                jvmArgs.add(a.substring("--jvm-arg=".length()));
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--store" -> store = v;
                case "--job" -> job = v;
                case "--payload" -> payload = v;
                case "--classpath" -> classpath.addAll(List.of(v.split(",")));
                case "--work" -> work = Path.of(v);
                case "--cache" -> cache = Path.of(v);
                case "--retries" -> retries = Integer.parseInt(v);
                case "--class-archives" -> archives = Path.of(v);
                default -> throw new IllegalArgumentException("unknown agent option " + a);
            }
        }
        if (store == null || job == null || payload == null) {
            throw new IllegalArgumentException("usage: Agent --store URI --job ID --payload SHA256 "
                    + "[--classpath SHA,...] [--jvm-arg=OPT]... [--work DIR] [--cache DIR] [--retries N] [--class-archives DIR]");
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"), "kinetic");
        if (work == null) {
            work = env.containsKey("KINETIC_WORK_DIR") ? Path.of(env.get("KINETIC_WORK_DIR")) : tmp.resolve("work").resolve(job);
        }
        if (cache == null) {
            cache = env.containsKey("KINETIC_CACHE_DIR") ? Path.of(env.get("KINETIC_CACHE_DIR")) : tmp.resolve("cas");
        }
        return new AgentArgs(store, job, payload, List.copyOf(classpath), List.copyOf(jvmArgs), work, cache, retries, archives);
    }
}
