package dev.streams.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Devices that send temperature and humidity readings through the same ingestion path real devices use: the
 * ingestor in-process, or Golioth's device API over CoAP/DTLS ({@link CoapDevices}).
 */
final class SimulatedDevices implements AutoCloseable {
    /** Where a device's reading goes; throws when it was not taken. */
    interface Sink {
        void send(String deviceId, String json);
    }

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

    /** The ids of {@code count} simulated devices: the same on every start, so their history continues. */
    static List<String> idsOf(int count) {
        Random random = new Random(7);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] id = new byte[12];
            random.nextBytes(id);
            ids.add(HexFormat.of().formatHex(id));
            random.nextDouble();
        }
        return ids;
    }

    SimulatedDevices(Sink sink, List<String> deviceIds, double rate) {
        Random random = new Random(7);
        int count = deviceIds.size();
        for (int i = 0; i < count; i++) {
            random.nextBytes(new byte[12]);
            String deviceId = deviceIds.get(i);
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
                        sink.send(deviceId, reading);
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
