/**
 * Who may do what: {@link dev.streams.auth.StreamsAuth} authenticates API keys, Golioth-style key JWTs, Streams
 * tokens and external identity providers, and authorizes publish, subscribe, ingest and token issue. Algorithms
 * are fixed by the server, secrets compared in constant time and never logged.
 */
package dev.streams.auth;
