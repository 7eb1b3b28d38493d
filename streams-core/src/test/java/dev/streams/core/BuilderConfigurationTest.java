package dev.streams.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad configuration is an IllegalArgumentException naming the setting, in every builder of the core. */
class BuilderConfigurationTest {
    @Test
    void badSettingsAreIllegalArguments() {
        assertThatThrownBy(() -> Broker.builder().deliveryThreads(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deliveryThreads");
        assertThatThrownBy(() -> Broker.builder().sweepInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sweepInterval");
        assertThatThrownBy(() -> Broker.builder().maxPayloadBytes(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Broker.builder().maxTopicLength(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SubscribeOptions.builder().maxQueuedEvents(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxQueuedEvents");
        assertThatThrownBy(() -> new HistoryLimits(-1, 0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void historyLimitsAndAHistoryStoreCannotReplaceEachOther() {
        HistoryStore store = HistoryStore.inMemory(HistoryLimits.DEFAULT);
        assertThatThrownBy(() -> Broker.builder().history(HistoryLimits.DEFAULT).historyStore(store))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> Broker.builder().historyStore(store).history(HistoryLimits.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
        Broker.builder().historyStore(store).historyStore(store).build().close();
    }
}
