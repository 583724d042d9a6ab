package dev.ttsapi.stores;

/**
 * Where Redis is: {@code REDIS_URL}, or the embedded server started when none is set. The {@code
 * redis} package connects to it.
 */
public record RedisEndpoint(String url) {}
