package dev.streams.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the server under load costs, read from outside it: CPU time and RSS from {@code /proc/<pid>}, its
 * system calls from {@code perf stat}'s tracepoints, payload bytes sent and heap + direct memory from a Streams
 * {@code /metrics} URL. Either may be absent (nats-server has no such metrics); a measurement that needs one is
 * then not taken.
 */
final class ServerProbe {
    /**
     * The server's CPU time and the payload bytes it has sent so far. {@code jitMicros} and {@code gcMicros} are
     * the parts its JIT compiler and garbage collector threads spent (zero for a server without them): compiling
     * goes on for tens of seconds in a JVM and varies from run to run, so a comparison that leaves them out sees
     * what serving costs. {@code toolMicros} is this tool's own CPU time and {@code nanos} when it was read: over
     * a window they say how many cores each side kept busy, and a tool whose cores are full measures itself.
     * {@code fanOut} is the server's own fan-out latency histogram so far (Streams; null for a server without it),
     * {@code dropped} what it has dropped so far (see {@link #dropped()}; -1 without metrics).
     */
    record Cost(long cpuMicros, long sysMicros, long bytesOut, long jitMicros, long gcMicros, long toolMicros,
                long nanos, FanOutHistogram fanOut, long dropped) {
    }

    /** The server's resident memory and, for Streams, heap in use plus Netty direct memory. */
    record Memory(long rss, long javaBytes) {
    }

    private final String pid;
    private final String metricsUrl;

    /** A probe of the process {@code pid} and the metrics at {@code metricsUrl}; either may be null. */
    ServerProbe(String pid, String metricsUrl) {
        this.pid = pid;
        this.metricsUrl = metricsUrl;
    }

    /** Whether the server's memory in Java terms can be read. */
    boolean hasMetrics() {
        return metricsUrl != null;
    }

    /**
     * The cost so far: CPU time (utime + stime of every thread, {@code /proc/<pid>/stat} fields 14 and 15) and,
     * with a metrics URL, payload bytes sent (else -1). Null without a pid.
     */
    Cost cost() throws IOException, InterruptedException {
        if (pid == null) {
            return null;
        }
        // The metrics fetch first, then the clock and every CPU time together: the fetch may wait for a busy server,
        // and the tool's first one loads its HTTP client, which is neither side's work in the window.
        String metrics = metricsUrl == null ? null : metrics();
        long bytes = metrics == null ? -1 : metrics.lines().filter(l -> l.startsWith("streams_bytes_out_total{"))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
        long nanos = System.nanoTime();
        String[] stat = statFields(Files.readString(Path.of("/proc", pid, "stat")));
        String[] own = statFields(Files.readString(Path.of("/proc/self/stat")));
        long toolTicks = Long.parseLong(own[11]) + Long.parseLong(own[12]);
        long ticks = Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
        long jitTicks = 0;
        long gcTicks = 0;
        try (var tasks = Files.list(Path.of("/proc", pid, "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String line;
                try {
                    line = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended between listing and reading
                }
                String name = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
                String[] fields = statFields(line);
                long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                if (name.contains("CompilerThre")) {
                    jitTicks += used;
                } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                    gcTicks += used;
                }
            }
        }
        return new Cost(ticks * 10_000L, Long.parseLong(stat[12]) * 10_000L, bytes, jitTicks * 10_000L,
                gcTicks * 10_000L, toolTicks * 10_000L, nanos, metrics == null ? null : FanOutHistogram.parse(metrics),
                metrics == null ? -1 : droppedIn(metrics));
    }

    /**
     * Deliveries the server has dropped so far, each told to its subscriber as a gap
     * ({@code streams_broker_dropped_total}); -1 without metrics (nats-server).
     */
    long dropped() throws IOException, InterruptedException {
        if (metricsUrl == null) {
            return -1;
        }
        return droppedIn(metrics());
    }

    private static long droppedIn(String metrics) {
        return metrics.lines().filter(l -> l.startsWith("streams_broker_dropped_total "))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /**
     * The fields of a {@code /proc} stat line after the process or thread name, which may hold spaces and
     * parentheses: utime and stime are then at 11 and 12.
     */
    private static String[] statFields(String line) {
        return line.substring(line.lastIndexOf(") ") + 2).split(" ");
    }

    /** The system calls the tool counts (perf's software tracepoints; hardware counters are not needed). */
    static final List<String> SYSCALLS = List.of("write", "writev", "sendto", "read", "recvfrom", "epoll_wait",
            "epoll_pwait", "futex");

    /**
     * Starts counting the server's system calls for {@code seconds} with {@code perf stat}; null without a pid
     * or when perf is not installed (Debian: linux-perf). {@link Syscalls#counts()} waits for the window's end.
     */
    Syscalls countSyscalls(int seconds) throws IOException {
        if (pid == null || !Files.isExecutable(Path.of("/usr/bin/perf"))) {
            return null;
        }
        List<String> command = new ArrayList<>(List.of("perf", "stat", "-x,", "-p", pid));
        for (String call : SYSCALLS) {
            command.add("-e");
            command.add("syscalls:sys_enter_" + call);
        }
        command.addAll(List.of("--", "sleep", Integer.toString(seconds)));
        return new Syscalls(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** A running count of a server's system calls. */
    static final class Syscalls {
        private final Process perf;

        Syscalls(Process perf) {
            this.perf = perf;
        }

        /** Each counted call and how often the server made it in the window; empty when perf failed. */
        Map<String, Long> counts() throws IOException, InterruptedException {
            String output = new String(perf.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            perf.waitFor(30, TimeUnit.SECONDS);
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String line : output.split("\n")) {
                String[] fields = line.split(",");
                if (fields.length > 2 && fields[2].startsWith("syscalls:sys_enter_") && fields[0].matches("[0-9]+")) {
                    counts.put(fields[2].substring("syscalls:sys_enter_".length()), Long.parseLong(fields[0]));
                }
            }
            return counts;
        }
    }

    /** The memory now, after a full GC in the server so that what is counted is what is kept alive. */
    Memory memory() throws IOException, InterruptedException {
        long javaBytes = 0;
        if (metricsUrl != null && pid != null) {
            new ProcessBuilder("jcmd", pid, "GC.run").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
            for (String line : metrics().split("\n")) {
                if (line.startsWith("streams_jvm_heap_used_bytes ") || line.startsWith("streams_netty_direct_memory_bytes ")) {
                    javaBytes += Long.parseLong(line.substring(line.indexOf(' ') + 1).trim());
                }
            }
        }
        long rss = 0;
        if (pid != null) {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        }
        return new Memory(rss, javaBytes);
    }

    private String metrics() throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * One line a script can read: {@code server-cost per delivery: cpu_us=… serving_us=… write=… … all_writes=…},
     * over one window (CPU from /proc, calls from perf; either may be missing); null when there is nothing to say.
     */
    static String perDelivery(Cost before, Cost after, Syscalls syscalls, long deliveries)
            throws IOException, InterruptedException {
        Map<String, Long> calls = syscalls == null ? Map.of() : syscalls.counts();
        if (deliveries == 0 || (before == null && calls.isEmpty())) {
            return null;
        }
        StringBuilder line = new StringBuilder("server-cost per delivery:");
        if (before != null && after != null) {
            long jit = after.jitMicros() - before.jitMicros();
            long gc = after.gcMicros() - before.gcMicros();
            long cpu = after.cpuMicros() - before.cpuMicros();
            line.append(String.format(java.util.Locale.ROOT,
                    " cpu_us=%.3f sys_us=%.3f serving_us=%.3f jit_us=%.3f gc_us=%.3f",
                    cpu / (double) deliveries, (after.sysMicros() - before.sysMicros()) / (double) deliveries,
                    (cpu - jit - gc) / (double) deliveries, jit / (double) deliveries, gc / (double) deliveries));
            double wallMicros = (after.nanos() - before.nanos()) / 1e3;
            long tool = after.toolMicros() - before.toolMicros();
            line.append(String.format(java.util.Locale.ROOT, " server_cores=%.2f tool_cores=%.2f tool_us=%.3f",
                    cpu / wallMicros, tool / wallMicros, tool / (double) deliveries));
            if (before.bytesOut() >= 0) {
                line.append(String.format(java.util.Locale.ROOT, " bytes=%.1f",
                        (after.bytesOut() - before.bytesOut()) / (double) deliveries));
            }
            if (before.fanOut() != null && after.fanOut() != null) {
                line.append(after.fanOut().minus(before.fanOut()).summary());
            }
        }
        long writes = 0;
        for (var call : calls.entrySet()) {
            line.append(String.format(java.util.Locale.ROOT, " %s=%.4f", call.getKey(), call.getValue() / (double) deliveries));
            if (call.getKey().startsWith("write") || call.getKey().equals("sendto")) {
                writes += call.getValue();
            }
        }
        if (!calls.isEmpty()) {
            line.append(String.format(java.util.Locale.ROOT, " all_writes=%.4f", writes / (double) deliveries));
        }
        return line.append(" (").append(deliveries).append(" deliveries)").toString();
    }
}
