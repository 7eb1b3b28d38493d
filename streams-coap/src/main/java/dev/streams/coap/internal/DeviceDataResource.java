package dev.streams.coap.internal;

import dev.streams.auth.AuthException;
import dev.streams.auth.DeviceCredentials;
import dev.streams.auth.Principal;
import dev.streams.auth.StreamsAuth;
import dev.streams.core.StreamsException;
import dev.streams.devices.DeviceIngestor;
import dev.streams.devices.DeviceTopics;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;

/**
 * Golioth's LightDB Stream for devices: {@code POST /.s} and {@code POST /.s/{path}} with a JSON (50) or CBOR (60)
 * body, ingested exactly as the HTTP ingest does it (a value at a path, an object, an array batch, a timestamp
 * under {@code t}/{@code ts}/{@code time}/{@code timestamp}) into the device's own stream, answered 2.04 Changed
 * once the broker has it. Refusals are CoAP codes with a diagnostic payload: 4.00 (invalid body), 4.01 (no or a
 * revoked credential), 4.03, 4.13 (too large), 4.15 (another content format), 4.29 (the device posts too fast,
 * with Max-Age saying when to retry) and 5.03 (the store refuses for now, with Max-Age).
 *
 * <p>Over DTLS the device is whoever the handshake proved ({@code <device-id>@<project-id>}). Over plain CoAP,
 * only when the host turns it on for a network it trusts, the request carries {@code ?id=<identity>&key=<psk>},
 * and the key crosses the network in clear.
 */
public final class DeviceDataResource extends CoapResource {
    /** Golioth's path for LightDB Stream. */
    public static final String NAME = ".s";

    private final DeviceIngestor ingestor;
    private final StreamsAuth auth;
    private final DeviceCredentials devices;
    private final DeviceRates rates;
    private final int maxBodyBytes;
    private final CoapCounters counters;

    public DeviceDataResource(DeviceIngestor ingestor, StreamsAuth auth, DeviceRates rates, int maxBodyBytes,
                              CoapCounters counters) {
        super(NAME);
        this.ingestor = ingestor;
        this.auth = auth;
        this.devices = auth.devices();
        this.rates = rates;
        this.maxBodyBytes = maxBodyBytes;
        this.counters = counters;
        setVisible(false);
    }

    /** Every path under {@code /.s} is this resource: the rest of the path is where the data goes. */
    @Override
    public Resource getChild(String name) {
        return this;
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
        counters.requests.increment();
        Principal device = deviceOf(exchange).orElse(null);
        if (device == null) {
            counters.unauthenticated.increment();
            exchange.respond(ResponseCode.UNAUTHORIZED, "unknown, revoked or missing device credential");
            return;
        }
        byte[] body = exchange.getRequestPayload();
        if (body.length > maxBodyBytes) {
            counters.tooLarge.increment();
            respond(exchange, ResponseCode.REQUEST_ENTITY_TOO_LARGE, "body over " + maxBodyBytes + " bytes",
                    options -> options.setSize1(maxBodyBytes));
            return;
        }
        int format = exchange.getRequestOptions().getContentFormat();
        if (!ReadingBodies.readable(format)) {
            counters.badRequests.increment();
            exchange.respond(ResponseCode.UNSUPPORTED_CONTENT_FORMAT, "send JSON (50) or CBOR (60)");
            return;
        }
        String deviceId = DeviceTopics.deviceOf(device.topics().get(0));
        long retryIn = rates.take(device.subject());
        if (retryIn > 0) {
            counters.rateLimited.increment();
            respond(exchange, ResponseCode.TOO_MANY_REQUESTS, "over this device's reading rate; retry in " + retryIn + " s",
                    options -> options.setMaxAge(retryIn));
            return;
        }
        try {
            auth.checkIngest(device, device.project(), deviceId);
            String json = ReadingBodies.jsonOf(format, body);
            ingestor.ingestAsync(device.project(), deviceId, pathOf(exchange), json).whenComplete((events, failure) -> {
                if (failure == null) {
                    counters.readings.add(events.size());
                    exchange.respond(ResponseCode.CHANGED);
                } else {
                    refuse(exchange, failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure);
                }
            });
        } catch (RuntimeException refused) {
            refuse(exchange, refused);
        }
    }

    private void refuse(CoapExchange exchange, Throwable failure) {
        if (failure instanceof AuthException denied) {
            counters.forbidden.increment();
            exchange.respond(ResponseCode.FORBIDDEN, denied.getMessage());
        } else if (failure instanceof IllegalArgumentException invalid) {
            counters.badRequests.increment();
            exchange.respond(ResponseCode.BAD_REQUEST, invalid.getMessage());
        } else if (failure instanceof StreamsException e) {
            switch (e.kind()) {
                case INVALID_ARGUMENT, INVALID_TOPIC, INVALID_PROJECT -> {
                    counters.badRequests.increment();
                    exchange.respond(ResponseCode.BAD_REQUEST, e.getMessage());
                }
                case PAYLOAD_TOO_LARGE -> {
                    counters.tooLarge.increment();
                    exchange.respond(ResponseCode.REQUEST_ENTITY_TOO_LARGE, e.getMessage());
                }
                case FORBIDDEN, UNAUTHENTICATED, EXPIRED -> {
                    counters.forbidden.increment();
                    exchange.respond(ResponseCode.FORBIDDEN, e.getMessage());
                }
                case LIMIT_EXCEEDED -> {
                    // A project limit (its publish rate, say): the device should slow down, not give up.
                    counters.rateLimited.increment();
                    respond(exchange, ResponseCode.TOO_MANY_REQUESTS, e.getMessage(), options -> options.setMaxAge(1));
                }
                default -> unavailable(exchange, e.getMessage());
            }
        } else {
            unavailable(exchange, "not stored; retry later");
        }
    }

    private void unavailable(CoapExchange exchange, String why) {
        counters.unavailable.increment();
        respond(exchange, ResponseCode.SERVICE_UNAVAILABLE, why, options -> options.setMaxAge(1));
    }

    /** A refusal with a diagnostic payload and the option that tells the device what to do (Size1, Max-Age). */
    private static void respond(CoapExchange exchange, ResponseCode code, String diagnostic,
                                java.util.function.Consumer<org.eclipse.californium.core.coap.OptionSet> options) {
        Response response = new Response(code);
        options.accept(response.getOptions());
        response.setPayload(diagnostic);
        exchange.respond(response);
    }

    /** The rest of the path after {@code /.s}, slash-joined, or null for the root. */
    private static String pathOf(CoapExchange exchange) {
        List<String> segments = exchange.getRequestOptions().getUriPath();
        return segments.size() <= 1 ? null : String.join("/", segments.subList(1, segments.size()));
    }

    /** The device the handshake proved, or on plain CoAP the one its id and key name; empty when revoked. */
    private Optional<Principal> deviceOf(CoapExchange exchange) {
        java.security.Principal peer = exchange.advanced().getRequest().getSourceContext().getPeerIdentity();
        if (peer instanceof PreSharedKeyIdentity psk) {
            return devices.authenticate(psk.getIdentity());
        }
        String identity = exchange.getQueryParameter("id");
        String key = exchange.getQueryParameter("key");
        if (identity == null || key == null) {
            return Optional.empty();
        }
        byte[] expected = devices.psk(identity).orElse(null);
        if (expected == null || !MessageDigest.isEqual(expected, key.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return devices.authenticate(identity);
    }
}
