package dev.ttsapi.batch;

import static dev.ttsapi.database.Timestamps.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL of {@code batches} and {@code batch_items}. */
@Repository
class BatchRepository {

  /** A batch row; {@code endedAt} is set by the trigger of V42 when its last item ends. */
  record Batch(
      UUID id,
      UUID userId,
      Instant createdAt,
      int total,
      Instant endedAt,
      Instant cancelledAt,
      String callbackUrl) {}

  /** One item: its position (0-based), its request and the client's name for it. */
  record Item(int position, UUID requestId, Instant requestCreatedAt, String clientId) {}

  private final JdbcClient jdbc;

  BatchRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The batch row and all its items: two statements, in the caller's transaction. */
  void insert(Batch batch, List<Item> items) {
    jdbc.sql(
            """
            INSERT INTO batches (id, user_id, created_at, total, callback_url)
            VALUES (:id, :user, :createdAt, :total, :callbackUrl)
            """)
        .param("id", batch.id())
        .param("user", batch.userId())
        .param("createdAt", utc(batch.createdAt()))
        .param("total", batch.total())
        .param("callbackUrl", batch.callbackUrl(), java.sql.Types.VARCHAR)
        .update();
    jdbc.sql(
            """
            INSERT INTO batch_items (request_id, batch_id, position, request_created_at, client_id)
            SELECT i.request_id, :batch, i.position, i.created_at, i.client_id
            FROM unnest(CAST(:requests AS uuid[]), CAST(:positions AS int[]),
              CAST(:createdAts AS timestamptz[]), CAST(:clientIds AS text[]))
              AS i(request_id, position, created_at, client_id)
            """)
        .param("batch", batch.id())
        .param("requests", items.stream().map(i -> i.requestId().toString()).toArray(String[]::new))
        .param("positions", items.stream().map(Item::position).toArray(Integer[]::new))
        .param(
            "createdAts",
            items.stream().map(i -> utc(i.requestCreatedAt()).toString()).toArray(String[]::new))
        .param("clientIds", items.stream().map(Item::clientId).toArray(String[]::new))
        .update();
  }

  Optional<Batch> find(UUID id) {
    return jdbc.sql(
            """
            SELECT id, user_id, created_at, total, ended_at, cancelled_at, callback_url
            FROM batches WHERE id = :id
            """)
        .param("id", id)
        .query(BatchRepository::batch)
        .optional();
  }

  List<Item> items(UUID batchId) {
    return jdbc.sql(
            """
            SELECT position, request_id, request_created_at, client_id FROM batch_items
            WHERE batch_id = :batch ORDER BY position
            """)
        .param("batch", batchId)
        .query(
            (rs, row) ->
                new Item(
                    rs.getInt("position"),
                    rs.getObject("request_id", UUID.class),
                    instant(rs, "request_created_at"),
                    rs.getString("client_id")))
        .list();
  }

  /** Marks the batch cancelled, once; false if it had ended or was cancelled already. */
  boolean markCancelled(UUID id, Instant now) {
    return jdbc.sql(
                "UPDATE batches SET cancelled_at = :now"
                    + " WHERE id = :id AND cancelled_at IS NULL AND ended_at IS NULL")
            .param("id", id)
            .param("now", utc(now))
            .update()
        > 0;
  }

  /** Deletes batches (and, by cascade, their items) made before {@code before}. */
  int deleteCreatedBefore(Instant before) {
    return jdbc.sql("DELETE FROM batches WHERE created_at < :before")
        .param("before", utc(before))
        .update();
  }

  private static Batch batch(ResultSet rs, int row) throws SQLException {
    return new Batch(
        rs.getObject("id", UUID.class),
        rs.getObject("user_id", UUID.class),
        instant(rs, "created_at"),
        rs.getInt("total"),
        instant(rs, "ended_at"),
        instant(rs, "cancelled_at"),
        rs.getString("callback_url"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
