/**
 * What a Streams server and its clients agree on, with nothing of either: the native protocol's names
 * ({@link dev.streams.protocol.NativeProtocol}), cursor text ({@link dev.streams.protocol.Cursor}), topic and
 * pattern rules ({@link dev.streams.protocol.TopicNames}) and the table of error codes
 * ({@link dev.streams.protocol.ErrorCode}). JDK only.
 */
package dev.streams.protocol;
