package dev.streams.examples;

import dev.streams.devices.DeviceIngestor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Devices that send temperature and humidity readings through the same ingestion path real devices use. */
final class SimulatedDevices implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SimulatedDevices.class.getName());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-devices");
        t.setDaemon(true);
        return t;
    });
    private final List<String> ids = new ArrayList<>();
    /** While the store or the cluster is down every device fails every reading: one line, not one per reading. */
    private final RepeatedFailureLog failures = RepeatedFailureLog.to(LOG, "sending simulated readings",
            Duration.ofSeconds(30));

    SimulatedDevices(DeviceIngestor ingestor, String project, int count, double rate) {
        Random random = new Random(7);
        for (int i = 0; i < count; i++) {
            byte[] id = new byte[12];
            random.nextBytes(id);
            String deviceId = HexFormat.of().formatHex(id);
            ids.add(deviceId);
            double base = 18 + random.nextDouble() * 8;
            long periodMicros = (long) (1_000_000 / rate);
            timer.scheduleAtFixedRate(new Runnable() {
                private double temp = base;
                private int n;

                @Override
                public void run() {
                    temp += (random.nextDouble() - 0.5) * 0.4 + (base - temp) * 0.05;
                    String reading = String.format(Locale.ROOT, "{\"temp\":%.2f,\"humidity\":%d,\"seq\":%d}", temp,
                            40 + (n % 20), n++);
                    try {
                        ingestor.ingest(project, deviceId, null, reading);
                        failures.succeeded();
                    } catch (RuntimeException e) {
                        failures.failed(e);
                    }
                }
            }, i * periodMicros / Math.max(1, count), periodMicros, TimeUnit.MICROSECONDS);
        }
    }

    List<String> ids() {
        return ids;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
