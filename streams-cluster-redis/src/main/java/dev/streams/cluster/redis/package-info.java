/**
 * Several Streams servers as one, on Redis: {@link dev.streams.cluster.redis.RedisClusterEngine} is the
 * {@link dev.streams.core.ClusterEngine} a broker is built with to join a cluster.
 */
package dev.streams.cluster.redis;
