package dev.streams.transport.ws;

import dev.streams.core.HistoryLimits;
import dev.streams.core.HistoryStore;
import dev.streams.core.TopicHistory;

/**
 * An in-memory history store that says its reads block, as a database's do, and that runs a hook before it opens
 * a topic (opening reads the database: the topic's last offset and epoch). The hook stands for a database under
 * load, for the tests of what waits on one.
 */
final class SlowOpeningStore implements HistoryStore {
    /** What opening {@code topic} waits for. */
    interface BeforeOpen {
        void await(String topic) throws InterruptedException;
    }

    private final HistoryStore memory = HistoryStore.inMemory(HistoryLimits.DEFAULT);
    private final BeforeOpen beforeOpen;

    SlowOpeningStore(BeforeOpen beforeOpen) {
        this.beforeOpen = beforeOpen;
    }

    @Override
    public TopicHistory open(String project, String topic) {
        try {
            beforeOpen.await(topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return memory.open(project, topic);
    }

    @Override
    public boolean readsBlock() {
        return true;
    }
}
