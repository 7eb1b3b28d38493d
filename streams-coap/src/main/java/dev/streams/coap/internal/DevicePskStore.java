package dev.streams.coap.internal;

import dev.streams.auth.DeviceCredentials;
import java.net.InetSocketAddress;
import javax.crypto.SecretKey;
import org.eclipse.californium.scandium.dtls.ConnectionId;
import org.eclipse.californium.scandium.dtls.HandshakeResultHandler;
import org.eclipse.californium.scandium.dtls.PskPublicInformation;
import org.eclipse.californium.scandium.dtls.PskSecretResult;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedPskStore;
import org.eclipse.californium.scandium.util.SecretUtil;

/**
 * The DTLS handshake's keys: the device credential of the presented identity ({@code <device-id>@<project-id>}),
 * derived again from the master key; none for an unknown or revoked identity, which fails the handshake. Server
 * only: it never names an identity of its own.
 */
public final class DevicePskStore implements AdvancedPskStore {
    private final DeviceCredentials devices;
    private final CoapCounters counters;

    public DevicePskStore(DeviceCredentials devices, CoapCounters counters) {
        this.devices = devices;
        this.counters = counters;
    }

    @Override
    public boolean hasEcdhePskSupported() {
        return true;
    }

    @Override
    public PskSecretResult requestPskSecretResult(ConnectionId cid, org.eclipse.californium.scandium.util.ServerNames serverName,
                                                  PskPublicInformation identity, String hmacAlgorithm, SecretKey otherSecret,
                                                  byte[] seed, boolean useExtendedMasterSecret) {
        byte[] psk = devices.psk(identity.getPublicInfoAsString()).orElse(null);
        if (psk == null) {
            counters.unknownIdentities.increment();
            return new PskSecretResult(cid, identity, null);
        }
        SecretKey key = SecretUtil.create(psk, PskSecretResult.ALGORITHM_PSK);
        java.util.Arrays.fill(psk, (byte) 0);
        counters.handshakes.increment();
        return new PskSecretResult(cid, identity, key);
    }

    @Override
    public PskPublicInformation getIdentity(InetSocketAddress peerAddress, org.eclipse.californium.scandium.util.ServerNames virtualHost) {
        return null;
    }

    @Override
    public void setResultHandler(HandshakeResultHandler resultHandler) {
        // answers synchronously
    }
}
