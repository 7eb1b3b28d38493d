package dev.streams.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streams.core.Broker;
import dev.streams.core.ErrorKind;
import dev.streams.core.Event;
import dev.streams.core.StreamsException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Java API a host application calls with device data it received by its own means. */
class DeviceIngestorTest {
    private final Broker broker = Broker.create();
    private final DeviceIngestor ingestor = new DeviceIngestor(broker);

    @AfterEach
    void close() {
        broker.close();
    }

    @Test
    void followsGoliothSemantics() {
        List<Event> nested = ingestor.ingest("p", "d1", "sensors/env", "{\"temp\":21,\"timestamp\":\"2024-05-01T10:00:00+02:00\"}");
        assertThat(nested).singleElement().satisfies(e -> {
            assertThat(e.topic()).isEqualTo("devices.d1.stream");
            assertThat(e.contentType()).isEqualTo("application/json");
            assertThat(e.payloadAsString()).isEqualTo("{\"sensors\":{\"env\":{\"temp\":21}}}");
            assertThat(e.attributes()).containsEntry("deviceId", "d1").containsEntry("timestamp", "2024-05-01T08:00:00Z");
        });
        assertThat(ingestor.ingest("p", "d1", "temp", "20.5")).singleElement()
                .satisfies(e -> assertThat(e.payloadAsString()).isEqualTo("{\"temp\":20.5}"));
        assertThat(ingestor.ingest("p", "d1", null, "[{\"a\":1},{\"a\":2,\"t\":0}]")).hasSize(2);
    }

    @Test
    void anInvalidRecordRejectsTheWholeBatch() {
        assertThatThrownBy(() -> ingestor.ingest("p", "d1", null, "[{\"a\":1},5]"))
                .isInstanceOfSatisfying(StreamsException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        assertThat(broker.stats("p").published()).isZero();
        assertThatThrownBy(() -> ingestor.ingest("p", "d1", "a//b", "1")).isInstanceOf(StreamsException.class);
        assertThatThrownBy(() -> ingestor.ingest("p", "d.1", null, "{}")).isInstanceOf(StreamsException.class);
        assertThatThrownBy(() -> ingestor.ingest("p", "d1", null, "{\"a\":1} trailing")).isInstanceOf(StreamsException.class);
    }
}
