package dev.streams.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What the load tool reads of a server from outside it, on a real process that writes in a loop: its CPU time
 * from /proc and its system calls from perf's tracepoints, and the per-delivery line made of them.
 */
class ServerProbeTest {
    @Test
    void readsCpuAndCountsSystemCallsOfARunningProcess() throws Exception {
        boolean perf = Files.isExecutable(Path.of("/usr/bin/perf"));
        if (!perf && System.getenv("CI") != null) {
            throw new AssertionError("perf is missing (Debian package linux-perf); .ci/run should have installed it");
        }
        Assumptions.assumeTrue(perf, "perf is not installed (Debian package linux-perf); see .ci/run");
        Process writer = new ProcessBuilder("/bin/sh", "-c", "while :; do echo x; done > /dev/null").start();
        try {
            ServerProbe probe = new ServerProbe(Long.toString(writer.pid()), null);
            ServerProbe.Cost before = probe.cost();
            ServerProbe.Syscalls syscalls = probe.countSyscalls(1);
            assertThat(syscalls).isNotNull();
            Map<String, Long> counts = syscalls.counts();
            ServerProbe.Cost after = probe.cost();
            assertThat(counts).as("perf's answer (root, or perf_event_paranoid <= 1, is needed)")
                    .containsKeys(ServerProbe.SYSCALLS.toArray(String[]::new));
            assertThat(counts.get("write")).as("writes in a second of echo").isGreaterThan(100);
            assertThat(after.cpuMicros()).isGreaterThan(before.cpuMicros());
            assertThat(before.bytesOut()).as("no metrics URL: no payload bytes").isEqualTo(-1);

            String line = ServerProbe.perDelivery(before, after, null, 1000);
            assertThat(line).startsWith("server-cost per delivery: cpu_us=").contains("sys_us=").doesNotContain("bytes=");
        } finally {
            writer.destroyForcibly();
        }
    }
}
