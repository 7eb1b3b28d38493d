/**
 * Durable history for the broker: {@link dev.streams.history.SqlHistoryStore} keeps every event in SQLite
 * (embedded) or PostgreSQL, survives restarts, tells resuming clients of any loss after a crash, enforces
 * retention and answers history queries in the database.
 */
package dev.streams.history;
