package dev.streams.history;

/** History queries on a real PostgreSQL server (jsonb), against the same brute force. */
class PostgresHistoryQueryTest extends HistoryQueryContract {
    private PostgresServer postgres;

    @Override
    SqlHistoryStore.Builder storeBuilder() throws Exception {
        if (postgres == null) {
            postgres = new PostgresServer();
        }
        return SqlHistoryStore.postgres(postgres.dataSource());
    }

    @Override
    void stopDatabase() throws Exception {
        postgres.close();
    }
}
