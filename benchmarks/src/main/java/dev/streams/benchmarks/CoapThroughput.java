package dev.streams.benchmarks;

import dev.streams.auth.NewDeviceCredential;
import dev.streams.auth.StreamsAuth;
import dev.streams.coap.CoapDeviceServer;
import dev.streams.core.Broker;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * Readings per second over CoAP/DTLS from many devices, each with its own DTLS session and pre-shared key, each
 * posting its next confirmable reading as soon as the last is answered (CoAP's NSTART = 1), against an in-memory
 * broker in the same process. Prints readings/s and the process's CPU per reading (devices and server together,
 * so an upper bound of the server's). Usage: {@code CoapThroughput [devices] [seconds]}.
 */
public final class CoapThroughput {
    private CoapThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int devices = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        StreamsAuth auth = StreamsAuth.builder().masterKey(new byte[32]).build();
        Broker broker = Broker.create();
        CoapDeviceServer server = CoapDeviceServer.builder(broker, auth).dtlsPort(0).maxBodyBytes(256)
                .readingsPerDevice(1_000_000, 1_000_000).build().start();
        List<CoapClient> clients = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            NewDeviceCredential credential = auth.devices().create("bench", "device-" + i);
            Configuration config = Configuration.createStandardWithoutFile();
            config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
            CoapClient client = new CoapClient("coaps://127.0.0.1:" + server.dtlsPort() + "/.s");
            client.setEndpoint(new CoapEndpoint.Builder().setConfiguration(config).setConnector(new DTLSConnector(
                    DtlsConnectorConfig.builder(config).setAdvancedPskStore(new AdvancedSinglePskStore(credential.identity(),
                            credential.psk().getBytes(StandardCharsets.UTF_8))).build())).build());
            clients.add(client);
        }
        // Every device's DTLS handshake first, so the window measures readings only.
        for (CoapClient client : clients) {
            CoapResponse first = client.post("{\"warm\":1}", MediaTypeRegistry.APPLICATION_JSON);
            if (first == null || first.getCode() != CoAP.ResponseCode.CHANGED) {
                throw new IllegalStateException("handshake or first reading failed: " + first);
            }
        }
        AtomicBoolean running = new AtomicBoolean(true);
        LongAdder answered = new LongAdder();
        LongAdder refused = new LongAdder();
        CountDownLatch stopped = new CountDownLatch(devices);
        for (CoapClient client : clients) {
            post(client, running, answered, refused, stopped, 0);
        }
        Thread.sleep(2_000);
        long readings0 = answered.sum();
        long cpu0 = cpuNanos();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long readings = answered.sum() - readings0;
        long cpu = cpuNanos() - cpu0;
        double elapsed = (System.nanoTime() - start) / 1e9;
        running.set(false);
        stopped.await();
        System.out.printf(Locale.ROOT, "coap/dtls: %d devices, %.0f readings/s, cpu_us_per_reading=%.1f (devices and server"
                + " in one process), refused=%d%n", devices, readings / elapsed, cpu / 1e3 / Math.max(1, readings), refused.sum());
        clients.forEach(c -> {
            c.shutdown();
            c.getEndpoint().destroy();
        });
        server.close();
        broker.close();
    }

    private static void post(CoapClient client, AtomicBoolean running, LongAdder answered, LongAdder refused,
                             CountDownLatch stopped, int n) {
        if (!running.get()) {
            stopped.countDown();
            return;
        }
        client.post(new CoapHandler() {
            @Override
            public void onLoad(CoapResponse response) {
                if (response.getCode() == CoAP.ResponseCode.CHANGED) {
                    answered.increment();
                } else {
                    refused.increment();
                }
                post(client, running, answered, refused, stopped, n + 1);
            }

            @Override
            public void onError() {
                refused.increment();
                post(client, running, answered, refused, stopped, n + 1);
            }
        }, "{\"temp\":" + (20 + n % 10) + ",\"n\":" + n + "}", MediaTypeRegistry.APPLICATION_JSON);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
