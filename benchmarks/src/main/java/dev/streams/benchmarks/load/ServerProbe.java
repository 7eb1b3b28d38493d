package dev.streams.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What the server under load costs, read from outside it: CPU time and RSS from {@code /proc/<pid>}, payload
 * bytes sent and heap + direct memory from a Streams {@code /metrics} URL. Either may be absent (nats-server
 * has no such metrics); a measurement that needs one is then not taken.
 */
final class ServerProbe {
    /** The server's CPU time and the payload bytes it has sent so far. */
    record Cost(long cpuMicros, long bytesOut) {
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

    /** The cost so far, or null when the pid or the metrics URL is missing. */
    Cost cost() throws IOException, InterruptedException {
        if (pid == null || metricsUrl == null) {
            return null;
        }
        String[] stat = Files.readString(Path.of("/proc", pid, "stat")).replaceFirst("^.*\\) ", "").split(" ");
        long ticks = Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
        long bytes = metrics().lines().filter(l -> l.startsWith("streams_bytes_out_total{"))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).sum();
        return new Cost(ticks * 10_000L, bytes);
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
}
