package dev.streams.coap;

import dev.streams.auth.StreamsAuth;
import dev.streams.coap.internal.CoapCounters;
import dev.streams.coap.internal.DeviceDataResource;
import dev.streams.coap.internal.DevicePskStore;
import dev.streams.coap.internal.DeviceRates;
import dev.streams.coap.internal.SourceLimits;
import dev.streams.core.Broker;
import dev.streams.devices.DeviceIngestor;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.network.interceptors.MessageInterceptorAdapter;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;

/**
 * Golioth's device API over CoAP: devices post readings to {@code /.s} and {@code /.s/{path}} over DTLS 1.2 with
 * a pre-shared key (identity {@code <device-id>@<project-id>}, from {@link StreamsAuth#devices()}), and they are
 * stored and fanned out exactly as the HTTP ingest does it. Confirmable retransmissions are answered from
 * Californium's deduplicator within the exchange lifetime (247 s), so a reading whose acknowledgement was lost is
 * stored once. Plain CoAP is off unless a port is given for it.
 *
 * <pre>{@code
 * CoapDeviceServer coap = CoapDeviceServer.builder(broker, auth).dtlsPort(5684).build().start();
 * NewDeviceCredential psk = auth.devices().create("my-project", "thermostat-1");
 * ...
 * coap.close();
 * }</pre>
 */
public final class CoapDeviceServer implements AutoCloseable {
    static {
        CoapConfig.register();
        UdpConfig.register();
        DtlsConfig.register();
    }

    private final CoapServer server;
    private final CoapEndpoint dtls;
    private final CoapEndpoint plain;
    private final CoapCounters counters;
    private final DeviceRates rates;

    private CoapDeviceServer(Builder b) {
        counters = new CoapCounters();
        rates = new DeviceRates(b.readingsPerSecond, b.burst);
        Configuration config = Configuration.createStandardWithoutFile();
        config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, b.maxBodyBytes);
        config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY);
        config.set(DtlsConfig.DTLS_MAX_CONNECTIONS, b.maxSessions);
        config.set(DtlsConfig.DTLS_MAX_PENDING_INBOUND_JOBS, b.maxQueuedRecords);
        config.set(DtlsConfig.DTLS_RECOMMENDED_CIPHER_SUITES_ONLY, false);
        config.set(DtlsConfig.DTLS_CIPHER_SUITES, List.of(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8,
                CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_PSK_WITH_AES_128_CCM,
                CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256, CipherSuite.TLS_PSK_WITH_AES_128_CBC_SHA256));
        server = new CoapServer(config);
        server.add(new DeviceDataResource(new DeviceIngestor(b.broker), b.auth, rates, b.maxBodyBytes, counters));
        if (b.dtlsPort >= 0) {
            SourceLimits perAddress = new SourceLimits(config, b.maxSessionsPerAddress, counters);
            DtlsConnectorConfig.Builder connector = DtlsConnectorConfig.builder(config)
                    .setAddress(new InetSocketAddress(b.host, b.dtlsPort))
                    .setAdvancedPskStore(new DevicePskStore(b.auth.devices(), counters))
                    .setDatagramFilter(perAddress).setConnectionListener(perAddress);
            dtls = endpoint(new CoapEndpoint.Builder().setConfiguration(config)
                    .setConnector(new DTLSConnector(connector.build())).build());
        } else {
            dtls = null;
        }
        plain = b.plainPort >= 0 ? endpoint(new CoapEndpoint.Builder().setConfiguration(config)
                .setInetSocketAddress(new InetSocketAddress(b.host, b.plainPort)).build()) : null;
    }

    private CoapEndpoint endpoint(CoapEndpoint endpoint) {
        endpoint.addPostProcessInterceptor(new MessageInterceptorAdapter() {
            @Override
            public void receiveRequest(Request request) {
                if (request.isDuplicate()) {
                    counters.duplicates.increment();
                }
            }
        });
        server.addEndpoint(endpoint);
        return endpoint;
    }

    /** Starts building a CoAP endpoint over a broker and an auth (whose device credentials it checks). */
    public static Builder builder(Broker broker, StreamsAuth auth) {
        return new Builder(broker, auth);
    }

    /** Binds and starts; returns this server. */
    public CoapDeviceServer start() {
        server.start();
        return this;
    }

    /** The bound DTLS port (the one the system chose with port 0), or -1 when DTLS is off. */
    public int dtlsPort() {
        return dtls == null ? -1 : dtls.getAddress().getPort();
    }

    /** The bound plain CoAP port, or -1 when plain CoAP is off (the default). */
    public int plainPort() {
        return plain == null ? -1 : plain.getAddress().getPort();
    }

    /**
     * What it counted, by metric name: requests, readings stored, duplicates answered from the deduplicator,
     * handshakes, unknown identities, and each refusal (unauthenticated, forbidden, bad request, too large, rate
     * limited, unavailable).
     */
    public Map<String, Long> metrics() {
        Map<String, Long> metrics = counters.snapshot();
        metrics.put(RATE_TRACKED, (long) rates.tracked());
        return metrics;
    }

    private static final String RATE_TRACKED = "streams_coap_devices_rate_tracked";

    /**
     * What one of {@link #metrics()} counts, for a host that exports them with their help text; null for another
     * name. Names ending in {@code _total} are counters, the others gauges.
     */
    public String describe(String metricName) {
        return RATE_TRACKED.equals(metricName) ? "Devices whose reading rate is being tracked now."
                : counters.help(metricName);
    }

    /** Stops and frees the ports. */
    @Override
    public void close() {
        server.destroy();
    }

    /** Builds a {@link CoapDeviceServer}; everything but the broker and auth has a default. */
    public static final class Builder {
        private final Broker broker;
        private final StreamsAuth auth;
        private String host = "127.0.0.1";
        private int dtlsPort = 5684;
        private int plainPort = -1;
        private int maxBodyBytes = 1024;
        private int maxSessions = 10_000;
        private int maxSessionsPerAddress = 1_000;
        private int maxQueuedRecords = 2_000;
        private double readingsPerSecond = 10;
        private int burst = 20;

        private Builder(Broker broker, StreamsAuth auth) {
            this.broker = Objects.requireNonNull(broker, "broker");
            this.auth = Objects.requireNonNull(auth, "auth");
        }

        /** The address to listen on (default 127.0.0.1; devices elsewhere need the machine's address). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** UDP port for CoAP over DTLS (default 5684; 0 for a free one; -1 turns DTLS off). */
        public Builder dtlsPort(int port) {
            this.dtlsPort = port;
            return this;
        }

        /**
         * UDP port for plain CoAP (default -1, off; 5683 is its usual port). Only for a network the host trusts: a
         * device then names itself with {@code ?id=<identity>&key=<psk>}, in clear.
         */
        public Builder plainPort(int port) {
            this.plainPort = port;
            return this;
        }

        /** Largest request body, also across block-wise transfers (default 1024 bytes); larger ones get 4.13. */
        public Builder maxBodyBytes(int bytes) {
            this.maxBodyBytes = positive(bytes, "maxBodyBytes");
            return this;
        }

        /** Most DTLS sessions at once (default 10,000); the least recently used stale one makes room. */
        public Builder maxSessions(int sessions) {
            this.maxSessions = positive(sessions, "maxSessions");
            return this;
        }

        /**
         * Most DTLS sessions from one address (default 1,000, room for many devices behind one NAT): a new
         * handshake from an address at the limit is dropped and counted.
         */
        public Builder maxSessionsPerAddress(int sessions) {
            this.maxSessionsPerAddress = positive(sessions, "maxSessionsPerAddress");
            return this;
        }

        /**
         * Most DTLS records waiting to be processed, handshakes included (default 2,000): a flood of handshakes
         * is dropped past it instead of queuing without bound.
         */
        public Builder maxQueuedRecords(int records) {
            this.maxQueuedRecords = positive(records, "maxQueuedRecords");
            return this;
        }

        /** Readings a device may post per second on average, and at once (default 10 and 20); over it, 4.29. */
        public Builder readingsPerDevice(double perSecond, int burst) {
            if (!(perSecond > 0)) {
                throw new IllegalArgumentException("perSecond must be positive");
            }
            this.readingsPerSecond = perSecond;
            this.burst = positive(burst, "burst");
            return this;
        }

        /** Builds the server (not yet listening: {@link CoapDeviceServer#start()}). */
        public CoapDeviceServer build() {
            return new CoapDeviceServer(this);
        }

        private static int positive(int value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }
}
