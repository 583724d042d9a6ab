package dev.ttsapi.maintenance;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a task on one node at a time: a transaction-scoped PostgreSQL advisory lock, taken without
 * waiting. Another node holding it means the task is being done; this node skips it.
 */
@Component
class MaintenanceLock {

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  MaintenanceLock(JdbcClient jdbc, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  /** Runs the task if the lock named {@code task} is free; returns whether it ran. */
  boolean runExclusively(String task, Runnable work) {
    return Boolean.TRUE.equals(
        transactions.execute(
            tx -> {
              Boolean locked =
                  jdbc.sql(
                          "SELECT pg_try_advisory_xact_lock(hashtext('tts-maintenance'), hashtext(:task))")
                      .param("task", task)
                      .query(Boolean.class)
                      .single();
              if (!Boolean.TRUE.equals(locked)) {
                return false;
              }
              work.run();
              return true;
            }));
  }
}
