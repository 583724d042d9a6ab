package dev.ttsapi.redis;

import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Every Lua script the service runs, each from {@code src/main/resources/redis/}. A script touches
 * only the keys it is given as {@code KEYS} (so Redis Cluster can route it, and every multi-key
 * script names keys of one hash slot); {@link Redis#eval} runs it by its SHA.
 *
 * <p>A script made of several files is their concatenation: a shared Lua function (the per-user
 * cap's promotion, GCRA, the quota) lives in one file and is put in front of the scripts that call
 * it.
 */
public enum RedisScript {
  /** GCRA rate-limit buckets, all or nothing (rate limiter, failed logins). */
  GCRA(ScriptOutputType.MULTI, "gcra-function.lua", "gcra.lua"),
  /** The daily character quota: charge if it fits. */
  QUOTA(ScriptOutputType.MULTI, "quota-function.lua", "quota.lua"),
  /**
   * A submission's per-minute budget and, if it has room, its characters charged to the daily
   * quota: one call, one round trip.
   */
  SUBMIT_LIMITS(
      ScriptOutputType.MULTI, "gcra-function.lua", "quota-function.lua", "submit-limits.lua"),
  /** A request's whole status hash, its expiry and its event, at once. */
  STATUS_WRITE(ScriptOutputType.INTEGER, "status-write.lua"),
  /** Only the progress of a status hash, and its event. */
  STATUS_PROGRESS(ScriptOutputType.INTEGER, "status-progress.lua"),
  /** Deletes a key only if it still holds the caller's token (leases, idempotency claims). */
  RELEASE_IF_OWNER(ScriptOutputType.INTEGER, "release-if-owner.lua"),
  /** Extends a key's life only if it still holds the caller's token (a lease its holder keeps). */
  RENEW_IF_OWNER(ScriptOutputType.INTEGER, "renew-if-owner.lua"),
  /** Keeps the larger of two zero-padded positions and renews the key's life. */
  KEEP_MAX(ScriptOutputType.INTEGER, "keep-max.lua"),
  /** Offers a job to its stream under the per-user cap, or holds it back. */
  QUEUE_ADMIT(ScriptOutputType.INTEGER, "queue-entry.lua", "queue-admit.lua"),
  /** Adds a job that holds its place to the end of its stream (a retry). */
  QUEUE_ENQUEUE(ScriptOutputType.VALUE, "queue-entry.lua", "queue-enqueue.lua"),
  /** Acknowledges a job's entry, frees its place and moves its user's next held job in. */
  QUEUE_FINISH(
      ScriptOutputType.INTEGER, "queue-entry.lua", "queue-promote.lua", "queue-finish.lua"),
  /** Moves a user's held jobs in while they are under the cap. */
  QUEUE_PROMOTE(
      ScriptOutputType.INTEGER, "queue-entry.lua", "queue-promote.lua", "queue-promote-user.lua"),
  /** Where a queued job stands (its stream or its user's held list), read in one call. */
  QUEUE_PLACE(ScriptOutputType.MULTI, "queue-place.lua"),
  /** Recounts the places per user and the held jobs per priority from what Redis holds. */
  QUEUE_RECOUNT(ScriptOutputType.INTEGER, "queue-recount.lua");

  private final ScriptOutputType output;
  private final String source;
  private final String sha;

  RedisScript(ScriptOutputType output, String... files) {
    this.output = output;
    StringBuilder text = new StringBuilder();
    for (String file : files) {
      text.append(read("redis/" + file));
    }
    this.source = text.toString();
    this.sha = sha1(source);
  }

  ScriptOutputType output() {
    return output;
  }

  /** The script's text, sent only when Redis does not know its SHA yet. */
  String source() {
    return source;
  }

  String sha() {
    return sha;
  }

  private static String read(String path) {
    try (InputStream in = RedisScript.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("Lua script " + path + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }
}
