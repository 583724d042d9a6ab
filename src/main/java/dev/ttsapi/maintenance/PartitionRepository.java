package dev.ttsapi.maintenance;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The month partitions of the requests table. */
@Repository
class PartitionRepository {

  private final JdbcClient jdbc;

  PartitionRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Creates the partitions from this month to {@code monthsAhead} months later that do not exist
   * yet (the SQL function of migration V1); returns how many it created.
   */
  int ensure(int monthsAhead) {
    return jdbc.sql("SELECT ensure_request_partitions(:months)")
        .param("months", monthsAhead)
        .query(Integer.class)
        .single();
  }

  /** Names of the existing partitions, oldest first. */
  List<String> names() {
    return jdbc.sql(
            """
            SELECT c.relname FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            JOIN pg_class p ON p.oid = i.inhparent
            WHERE p.relname = 'requests' ORDER BY c.relname
            """)
        .query(String.class)
        .list();
  }
}
