package dev.kinetic.cli;

import dev.kinetic.JobHandle;
import dev.kinetic.KineticSession;
import dev.kinetic.ui.view.LogsView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kinetic jobs logs <id> [--tail N | --follow] [--host N | --all-hosts]}: the job's output. */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        header = "Print a job's output: all of it, the last N lines, or follow it to the end.",
        description = {
            "Reads the live log while the job runs and the stored log once it has ended. A multi-host job has one log "
                    + "per host: host 0's by default, --host N for another, --all-hosts for every one (each line "
                    + "prefixed with [hN]).",
            "With -o json: {\"id\": ..., \"lines\": [...]}; with --follow the document is printed when the job ends."
        })
public final class JobsLogsCommand extends CommandBase {
    @Mixin
    JobIdParameter job;

    @Mixin
    OutputOption output;

    @Option(
            names = {"-n", "--tail"},
            paramLabel = "N",
            description = "Only the last N lines (reads only the end of the log).")
    Integer tail;

    @Option(
            names = {"-f", "--follow"},
            description = "Print lines as they are written, from the start, until the job ends.")
    boolean follow;

    @Option(
            names = "--host",
            paramLabel = "N",
            description = "Host N's output, for a multi-host job (default: host 0).")
    Integer host;

    @Option(
            names = "--all-hosts",
            description = "Every host's output, each line prefixed with [hN]: host by host, or as the lines come with "
                    + "--follow.")
    boolean allHosts;

    @Override
    public Integer call() {
        if (host != null && allHosts) {
            throw usage("--host and --all-hosts cannot be used together: --host N prints one host's output, "
                    + "--all-hosts every host's");
        }
        if (host != null && host < 0) {
            throw usage("--host needs a host index of 0 or more, got " + host);
        }
        if (tail != null && follow) {
            throw usage("--tail and --follow cannot be used together: --tail prints the last lines and returns, "
                    + "--follow prints everything until the job ends");
        }
        if (tail != null && tail < 0) {
            throw usage("--tail needs a line count of 0 or more, got " + tail);
        }
        Printer p = printer();
        try (KineticSession kinetic = root().openSession(spec)) {
            JobHandle<Object> handle = kinetic.attach(job.id());
            if (host != null && host >= handle.hosts()) {
                throw usage("job " + handle.id() + " runs on " + handle.hosts() + " host"
                        + (handle.hosts() == 1 ? " (host 0)" : "s (hosts 0 to " + (handle.hosts() - 1) + ")")
                        + "; there is no host " + host);
            }
            List<Integer> hosts = new ArrayList<>();
            if (allHosts) {
                for (int h = 0; h < handle.hosts(); h++) {
                    hosts.add(h);
                }
            } else {
                hosts.add(host == null ? 0 : host);
            }
            List<String> lines;
            if (follow && !output.json()) {
                follow(handle, hosts, p::line);
                return ExitCodes.OK;
            } else if (follow) {
                List<String> collected = new ArrayList<>();
                follow(handle, hosts, collected::add);
                lines = collected;
            } else {
                lines = new ArrayList<>();
                for (int h : hosts) {
                    List<String> own = tail != null
                            ? handle.tail(tail, h)
                            : h == 0 ? handle.logs() : handle.tail(Integer.MAX_VALUE, h);
                    for (String line : own) {
                        lines.add(prefix(h) + line);
                    }
                }
            }
            if (output.json()) {
                p.json(new LogsView(handle.id(), host, lines));
            } else {
                lines.forEach(p.out()::println);
                p.out().flush();
            }
        }
        return ExitCodes.OK;
    }

    private String prefix(int h) {
        return allHosts ? "[h" + h + "] " : "";
    }

    /**
     * Follows each host's log until the job ends; with several hosts, each on its own thread, lines printed as they
     * come (a line is never split), each prefixed with its host.
     */
    private void follow(JobHandle<Object> handle, List<Integer> hosts, Consumer<String> sink) {
        if (hosts.size() == 1) {
            int h = hosts.get(0);
            handle.followLogs(h, line -> sink.accept(prefix(h) + line));
            return;
        }
        Object lock = new Object();
        ExecutorService pool = Executors.newFixedThreadPool(hosts.size());
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int h : hosts) {
                all.add(pool.submit(() -> handle.followLogs(h, line -> {
                    synchronized (lock) {
                        sink.accept(prefix(h) + line);
                    }
                })));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("following the logs failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
