/**
 * Streams in a Spring Boot application: add the starter and set {@code streams.*} properties
 * ({@link dev.streams.spring.boot.StreamsProperties}); {@link dev.streams.spring.boot.StreamsAutoConfiguration}
 * defines every bean, each replaceable by the application's own, and
 * {@link dev.streams.spring.boot.StreamsServerCustomizer} changes the server before it is built.
 */
package dev.streams.spring.boot;
