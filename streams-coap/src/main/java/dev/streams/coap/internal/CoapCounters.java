package dev.streams.coap.internal;

import java.util.LinkedHashMap;
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

    /** Every counter by metric name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> all = new LinkedHashMap<>();
        all.put("streams_coap_requests_total", requests.sum());
        all.put("streams_coap_readings_total", readings.sum());
        all.put("streams_coap_duplicates_total", duplicates.sum());
        all.put("streams_coap_handshakes_total", handshakes.sum());
        all.put("streams_coap_unknown_identities_total", unknownIdentities.sum());
        all.put("streams_coap_unauthenticated_total", unauthenticated.sum());
        all.put("streams_coap_forbidden_total", forbidden.sum());
        all.put("streams_coap_bad_requests_total", badRequests.sum());
        all.put("streams_coap_too_large_total", tooLarge.sum());
        all.put("streams_coap_rate_limited_total", rateLimited.sum());
        all.put("streams_coap_unavailable_total", unavailable.sum());
        all.put("streams_coap_sessions_refused_per_address_total", refusedBySource.sum());
        return all;
    }
}
