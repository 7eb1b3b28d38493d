package dev.streams.coap.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What the CoAP endpoint counts; {@link #snapshot()} names each as {@code streams_coap_*}. */
public final class CoapCounters {
    public final LongAdder requests = new LongAdder();
    public final LongAdder readings = new LongAdder();
    public final LongAdder duplicates = new LongAdder();
    public final LongAdder handshakes = new LongAdder();
    public final LongAdder unknownIdentities = new LongAdder();
    public final LongAdder unauthenticated = new LongAdder();
    public final LongAdder forbidden = new LongAdder();
    public final LongAdder badRequests = new LongAdder();
    public final LongAdder tooLarge = new LongAdder();
    public final LongAdder rateLimited = new LongAdder();
    public final LongAdder unavailable = new LongAdder();
    public final LongAdder refusedBySource = new LongAdder();

    /** Every counter by metric name, in a stable order. */
    public Map<String, Long> snapshot() {
        Map<String, Long> all = new LinkedHashMap<>();
        for (Metric metric : metrics()) {
            all.put(metric.name(), metric.counter().sum());
        }
        return all;
    }

    /** What a metric counts, or null for a name that is not one of these. */
    public String help(String name) {
        for (Metric metric : metrics()) {
            if (metric.name().equals(name)) {
                return metric.help();
            }
        }
        return null;
    }

    private record Metric(String name, String help, LongAdder counter) {
    }

    private List<Metric> metrics() {
        return List.of(
                new Metric("streams_coap_requests_total", "CoAP requests to the device API.", requests),
                new Metric("streams_coap_readings_total", "Readings stored from CoAP requests.", readings),
                new Metric("streams_coap_duplicates_total",
                        "Confirmable retransmissions answered from the deduplicator, not stored again.", duplicates),
                new Metric("streams_coap_handshakes_total", "DTLS handshakes that found their device's key.", handshakes),
                new Metric("streams_coap_unknown_identities_total",
                        "DTLS handshakes for an unknown or revoked device identity.", unknownIdentities),
                new Metric("streams_coap_unauthenticated_total",
                        "Requests without a working device credential (4.01).", unauthenticated),
                new Metric("streams_coap_forbidden_total", "Requests refused by the device's permissions (4.03).", forbidden),
                new Metric("streams_coap_bad_requests_total", "Requests with an invalid body or format (4.00, 4.15).",
                        badRequests),
                new Metric("streams_coap_too_large_total", "Requests over the body limit (4.13).", tooLarge),
                new Metric("streams_coap_rate_limited_total",
                        "Requests over the device's rate or a project limit (4.29).", rateLimited),
                new Metric("streams_coap_unavailable_total", "Requests the broker could not take now (5.03).", unavailable),
                new Metric("streams_coap_sessions_refused_per_address_total",
                        "DTLS handshakes dropped: their address held its share of sessions.", refusedBySource));
    }
}
