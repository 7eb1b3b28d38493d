package dev.streams.examples.spring;

import dev.streams.core.Broker;
import dev.streams.devices.DeviceIngestor;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A device inside the application: it ingests a reading every {@code sample.thermostat.interval} (Golioth
 * semantics, as if posted to the ingest API), which every stream subscriber and the History REST see.
 */
@Component
class Thermostat implements SmartLifecycle {
    private final DeviceIngestor ingestor;
    private final String project;
    private final long intervalMillis;
    private ScheduledExecutorService timer;
    private double temperature = 21.0;

    Thermostat(Broker broker, @Value("${sample.project:sample}") String project,
               @Value("${sample.thermostat.interval:1s}") java.time.Duration interval) {
        this.ingestor = new DeviceIngestor(broker);
        this.project = project;
        this.intervalMillis = interval.toMillis();
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "thermostat"));
        timer.scheduleAtFixedRate(this::read, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void read() {
        temperature += (Math.random() - 0.5) * 0.2;
        ingestor.ingestAsync(project, "thermostat", null,
                String.format(Locale.ROOT, "{\"temp\":%.2f,\"heating\":%b}", temperature, temperature < 21));
    }

    @Override
    public synchronized void stop() {
        timer.shutdownNow();
        timer = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
