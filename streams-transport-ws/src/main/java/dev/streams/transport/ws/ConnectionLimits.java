package dev.streams.transport.ws;

import dev.streams.transport.ws.internal.Checks;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How much of a server one source may hold, and for how long a connection may stay without a credential: the
 * bounds that keep clients without a credential (or with one, from one address) from taking every connection.
 * Immutable; {@link #defaults()} or {@link #builder()}, then {@link StreamsServer.Builder#connectionLimits}.
 *
 * <ul>
 *   <li><b>Per source address</b>: open connections from one address (default 1,000); more are answered 429 and
 *       closed. Behind a reverse proxy every client has the proxy's address: name the proxy in
 *       {@link Builder#trustedProxies} and the client address it forwards ({@code X-Forwarded-For}, the
 *       rightmost entry that is not itself a trusted proxy) counts instead.</li>
 *   <li><b>Unauthenticated</b>: connections that have not yet presented a valid credential (default a quarter of
 *       the server's connections, at least 100 or all of them); more are answered 503. A connection counts as authenticated from its first
 *       request or session that authenticates.</li>
 *   <li><b>Authentication timeout</b> (default 10 s): a connection without a credential that long after it opened
 *       is closed after its current answer, must send each request within this of the previous answer, and an
 *       m3o Subscribe socket must send its SubscribeRequest within it. Health probes and static files still
 *       work: they just reconnect.</li>
 *   <li><b>Keep-alive</b>: an HTTP connection is closed after {@link Builder#maxRequestsPerConnection} answers
 *       (default 1,000) or once it is {@link Builder#maxConnectionAge} old (default 10 minutes), after the answer
 *       it is sending; WebSocket and event-stream connections are not affected.</li>
 * </ul>
 * Each refusal and each connection closed by these rules is counted in {@code /metrics}.
 */
public final class ConnectionLimits {
    /**
     * The default cap on connections without a credential is a quarter of the server's, but never below this (nor
     * above the server's): every connection is without one until its first request, so a small server needs room.
     */
    private static final int MIN_DEFAULT_UNAUTHENTICATED = 100;
    private final int maxPerAddress;
    private final int maxUnauthenticated;
    private final Duration authenticationTimeout;
    private final int maxRequestsPerConnection;
    private final Duration maxConnectionAge;
    private final List<AddressRange> trustedProxies;

    private ConnectionLimits(Builder b) {
        this.maxPerAddress = b.maxPerAddress;
        this.maxUnauthenticated = b.maxUnauthenticated;
        this.authenticationTimeout = b.authenticationTimeout;
        this.maxRequestsPerConnection = b.maxRequestsPerConnection;
        this.maxConnectionAge = b.maxConnectionAge;
        this.trustedProxies = List.copyOf(b.trustedProxies);
    }

    /** The defaults listed above. */
    public static ConnectionLimits defaults() {
        return builder().build();
    }

    /** Starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Open connections from one source address at most. */
    public int maxPerAddress() {
        return maxPerAddress;
    }

    /**
     * Connections without a credential at most, or 0 for a quarter of {@code maxConnections} (as the server
     * applies it: see {@link #maxUnauthenticated(int)}).
     */
    public int maxUnauthenticated() {
        return maxUnauthenticated;
    }

    /** The bound on connections without a credential for a server of {@code maxConnections}. */
    public int maxUnauthenticated(int maxConnections) {
        return maxUnauthenticated > 0 ? maxUnauthenticated
                : Math.max(maxConnections / 4, Math.min(maxConnections, MIN_DEFAULT_UNAUTHENTICATED));
    }

    /** How long a connection may go without presenting a valid credential. */
    public Duration authenticationTimeout() {
        return authenticationTimeout;
    }

    /** Answers one HTTP connection gives before it is closed. */
    public int maxRequestsPerConnection() {
        return maxRequestsPerConnection;
    }

    /** Age after which an HTTP keep-alive connection is closed after its current answer. */
    public Duration maxConnectionAge() {
        return maxConnectionAge;
    }

    /** Whether {@code address} is one of the trusted proxies. */
    public boolean isTrustedProxy(InetAddress address) {
        for (AddressRange range : trustedProxies) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any proxy is trusted (else forwarding headers are never read). */
    public boolean hasTrustedProxies() {
        return !trustedProxies.isEmpty();
    }

    /** Builds {@link ConnectionLimits}; every bound has a default. */
    public static final class Builder {
        private int maxPerAddress = 1_000;
        private int maxUnauthenticated;
        private Duration authenticationTimeout = Duration.ofSeconds(10);
        private int maxRequestsPerConnection = 1_000;
        private Duration maxConnectionAge = Duration.ofMinutes(10);
        private final List<AddressRange> trustedProxies = new ArrayList<>();

        private Builder() {
        }

        /** Open connections from one source address at most (default 1,000); more get 429. */
        public Builder maxPerAddress(int connections) {
            this.maxPerAddress = Checks.positive(connections, "maxPerAddress");
            return this;
        }

        /** Connections without a credential at most (default a quarter of the server's maximum); more get 503. */
        public Builder maxUnauthenticated(int connections) {
            this.maxUnauthenticated = Checks.positive(connections, "maxUnauthenticated");
            return this;
        }

        /** How long a connection may go without a valid credential (default 10 s). */
        public Builder authenticationTimeout(Duration timeout) {
            this.authenticationTimeout = Checks.positive(timeout, "authenticationTimeout");
            return this;
        }

        /** Answers one HTTP connection gives before it is closed (default 1,000). */
        public Builder maxRequestsPerConnection(int requests) {
            this.maxRequestsPerConnection = Checks.positive(requests, "maxRequestsPerConnection");
            return this;
        }

        /** Age after which an HTTP keep-alive connection is closed after its current answer (default 10 min). */
        public Builder maxConnectionAge(Duration age) {
            this.maxConnectionAge = Checks.positive(age, "maxConnectionAge");
            return this;
        }

        /**
         * Reverse proxies whose {@code X-Forwarded-For} is believed: addresses ({@code 10.0.0.5}) or ranges in
         * CIDR notation ({@code 10.0.0.0/8}, {@code fd00::/8}). A connection from one of them counts against the
         * per-address limit of the client address it forwards, from its first request on.
         */
        public Builder trustedProxies(List<String> addressesOrRanges) {
            trustedProxies.clear();
            for (String spec : addressesOrRanges) {
                trustedProxies.add(AddressRange.parse(spec));
            }
            return this;
        }

        /** Builds the limits. */
        public ConnectionLimits build() {
            return new ConnectionLimits(this);
        }
    }

    /** An address or a CIDR range of addresses, given as literals (never looked up in DNS). */
    private record AddressRange(byte[] network, int prefixBits) {
        static AddressRange parse(String spec) {
            Objects.requireNonNull(spec, "address");
            int slash = spec.indexOf('/');
            String literal = slash < 0 ? spec.strip() : spec.substring(0, slash).strip();
            byte[] address = NetUtil.createByteArrayFromIpAddressString(literal);
            if (address == null) {
                throw new IllegalArgumentException("not an IP address or CIDR range: " + spec);
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(spec.substring(slash + 1).strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not an IP address or CIDR range: " + spec);
                }
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("prefix out of range in " + spec);
                }
            }
            return new AddressRange(address, bits);
        }

        boolean contains(InetAddress candidate) {
            byte[] bytes = candidate.getAddress();
            if (bytes.length != network.length) {
                bytes = mapped(bytes);
                if (bytes == null || bytes.length != network.length) {
                    return false;
                }
            }
            int whole = prefixBits / 8;
            for (int i = 0; i < whole; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (bytes[whole] & mask) == (network[whole] & mask);
        }

        /** An IPv4-mapped IPv6 address as IPv4 (a dual-stack socket reports IPv4 clients so), else null. */
        private static byte[] mapped(byte[] bytes) {
            if (bytes.length != 16) {
                return null;
            }
            for (int i = 0; i < 10; i++) {
                if (bytes[i] != 0) {
                    return null;
                }
            }
            if (bytes[10] != (byte) 0xFF || bytes[11] != (byte) 0xFF) {
                return null;
            }
            try {
                return InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16)).getAddress();
            } catch (UnknownHostException impossible) {
                return null;
            }
        }
    }
}
