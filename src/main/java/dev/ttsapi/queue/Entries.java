package dev.ttsapi.queue;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** A job as the fields of a stream entry, and back. */
final class Entries {

  private Entries() {}

  static Map<String, String> fields(Job job) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("request_id", job.requestId().toString());
    body.put("created_at", job.createdAt().toString());
    if (job.userId() != null) {
      body.put("user_id", job.userId().toString());
    }
    if (job.contentKey() != null) {
      body.put("content_key", job.contentKey());
    }
    if (job.lostBeforeStart() > 0) {
      body.put("lost_before_start", Integer.toString(job.lostBeforeStart()));
    }
    return body;
  }

  /** The job an entry of {@code priority}'s stream describes; empty if it is malformed. */
  static Optional<Job> job(Priority priority, Map<String, String> body) {
    Optional<UUID> id = requestId(body);
    if (id.isEmpty() || body.get("created_at") == null) {
      return Optional.empty();
    }
    try {
      String user = body.get("user_id");
      return Optional.of(
          new Job(
              id.get(),
              Instant.parse(body.get("created_at")),
              priority,
              user == null ? null : UUID.fromString(user),
              body.get("content_key"),
              Integer.parseInt(body.getOrDefault("lost_before_start", "0"))));
    } catch (DateTimeParseException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static Optional<UUID> requestId(Map<String, String> body) {
    String id = body == null ? null : body.get("request_id");
    if (id == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
