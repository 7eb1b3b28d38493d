package dev.streams.history;

import java.nio.file.Files;

/** History queries on SQLite, against the brute force. */
class SqliteHistoryQueryTest extends HistoryQueryContract {
    @Override
    SqlHistoryStore.Builder storeBuilder() throws Exception {
        return SqlHistoryStore.sqlite(Files.createTempDirectory("streams-query"));
    }
}
