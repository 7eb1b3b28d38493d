package dev.streams.examples;

import dev.streams.auth.NewDeviceCredential;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.californium.core.CoapClient;
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
 * The simulated devices as real ones would send: each posts its readings to {@code /.s} over CoAP/DTLS with its
 * own pre-shared key, one DTLS session per device, as JSON (content-format 50), confirmable.
 */
final class CoapDevices implements SimulatedDevices.Sink, AutoCloseable {
    private final Map<String, CoapClient> clients = new HashMap<>();

    CoapDevices(String host, int dtlsPort, List<NewDeviceCredential> credentials) {
        for (NewDeviceCredential credential : credentials) {
            Configuration config = Configuration.createStandardWithoutFile();
            config.set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY);
            DtlsConnectorConfig dtls = DtlsConnectorConfig.builder(config).setAdvancedPskStore(new AdvancedSinglePskStore(
                    credential.identity(), credential.psk().getBytes(StandardCharsets.UTF_8))).build();
            CoapClient client = new CoapClient("coaps://" + host + ":" + dtlsPort + "/.s");
            client.setEndpoint(new CoapEndpoint.Builder().setConfiguration(config).setConnector(new DTLSConnector(dtls)).build());
            client.setTimeout(10_000L);
            clients.put(credential.metadata().deviceId(), client);
        }
    }

    @Override
    public void send(String deviceId, String json) {
        try {
            CoapResponse response = clients.get(deviceId).post(json, MediaTypeRegistry.APPLICATION_JSON);
            if (response == null) {
                throw new IllegalStateException("no answer over CoAP within 10 s");
            }
            if (response.getCode() != CoAP.ResponseCode.CHANGED) {
                throw new IllegalStateException("CoAP " + response.getCode() + ": " + response.getResponseText());
            }
        } catch (org.eclipse.californium.elements.exception.ConnectorException | java.io.IOException e) {
            throw new IllegalStateException("CoAP: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        clients.values().forEach(CoapClient::shutdown);
        clients.values().forEach(c -> c.getEndpoint().destroy());
    }
}
