package dev.streams.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The demo server's memory settings reach this very JVM where they were left at their defaults, and never
 * override one that was set otherwise.
 */
class IdleMemoryTest {
    private static final List<String> FLAGS = List.of("MinHeapFreeRatio", "MaxHeapFreeRatio", "G1PeriodicGCInterval");
    private final HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    private final Map<String, String> before = new HashMap<>();

    @AfterEach
    void restoreTheTestJvmsOwnValues() {
        // The larger ratio first, so that min never exceeds max on the way back.
        for (String flag : List.of("MaxHeapFreeRatio", "MinHeapFreeRatio", "G1PeriodicGCInterval")) {
            if (before.containsKey(flag)) {
                hotSpot.setVMOption(flag, before.get(flag));
            }
        }
    }

    @Test
    void setsWhatTheCommandLineLeftAtItsDefaultAndNothingTwice() {
        List<String> expected = new ArrayList<>();
        Map<String, String> wanted = Map.of("MinHeapFreeRatio", "5", "MaxHeapFreeRatio", "10", "G1PeriodicGCInterval", "2000");
        for (String flag : FLAGS) {
            VMOption option = hotSpot.getVMOption(flag);
            before.put(flag, option.getValue());
            if (option.getOrigin() == VMOption.Origin.DEFAULT) {
                expected.add(flag + '=' + wanted.get(flag));
            }
        }
        assertThat(IdleMemory.giveBackWhenIdle()).containsExactlyElementsOf(expected);
        for (String setting : expected) {
            String flag = setting.substring(0, setting.indexOf('='));
            assertThat(hotSpot.getVMOption(flag).getValue()).isEqualTo(wanted.get(flag));
        }
        // Now set (through management, not by default): a second call leaves every one as it is.
        assertThat(IdleMemory.giveBackWhenIdle()).isEmpty();
    }
}
