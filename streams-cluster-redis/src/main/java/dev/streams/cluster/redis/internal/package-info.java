/** The Redis engine's parts: key names, the publish script and its batcher, the receiver, recovery reads. */
package dev.streams.cluster.redis.internal;
