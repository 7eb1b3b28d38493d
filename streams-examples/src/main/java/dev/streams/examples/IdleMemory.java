package dev.streams.examples;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets the stand-alone server give memory back once load goes, where the JVM's defaults would keep it. With
 * G1's defaults a server that held 20,000 idle connections keeps 14-20 KB of resident memory per connection: the
 * heap a burst grew stays committed. A collection every two seconds when none came otherwise, and a heap that
 * keeps at most a tenth of itself free after one, bring that to 4.5-6 KB (the project's benchmarks README). All
 * three flags are manageable, so they are set here at startup, each only where the command line left it at its
 * default: an operator's own {@code -XX} setting always wins.
 */
final class IdleMemory {
    /** In the order they must be set: the smaller free ratio first, so that min never exceeds max. */
    private static final String[][] SETTINGS = {
            {"MinHeapFreeRatio", "5"}, {"MaxHeapFreeRatio", "10"}, {"G1PeriodicGCInterval", "2000"}};

    private IdleMemory() {
    }

    /** Sets what the command line did not; returns the settings made, as {@code Name=value}. */
    static List<String> giveBackWhenIdle() {
        HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        List<String> made = new ArrayList<>();
        if (hotSpot == null) {
            return made;
        }
        for (String[] setting : SETTINGS) {
            try {
                if (hotSpot.getVMOption(setting[0]).getOrigin() == VMOption.Origin.DEFAULT) {
                    hotSpot.setVMOption(setting[0], setting[1]);
                    made.add(setting[0] + '=' + setting[1]);
                }
            } catch (IllegalArgumentException | UnsupportedOperationException notHere) {
                // Another JVM, or a value its other settings refuse: it keeps its own.
            }
        }
        return made;
    }
}
