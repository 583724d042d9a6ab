package dev.ttsapi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.LowLimitsIntegrationTest;
import dev.ttsapi.support.Payloads;
import dev.ttsapi.support.StatementCounting;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The list endpoints cost a fixed number of SQL statements however many rows they return: no query
 * per row (N+1). Each is called once with one row and once with many, and the counts compared.
 */
// LowLimitsIntegrationTest for its StatementCounting; its limits play no part here.
class ListQueriesTest extends LowLimitsIntegrationTest {

  private static final int MANY = 60;

  @Test
  void the_request_list_costs_as_many_statements_for_sixty_rows_as_for_one() {
    worker().stop(); // the requests stay queued: nothing else writes while they are listed
    TestUser one = newUser("one-request", Caller.Role.USER);
    TestUser many = newUser("many-requests", Caller.Role.USER);
    submit(one, 1);
    submit(many, MANY);
    String path = "/tts/requests?limit=100";

    assertThat(api.get(path, one.key()).json().path("items").size()).isEqualTo(1);
    int forOne = StatementCounting.lastCount(path);
    assertThat(api.get(path, many.key()).json().path("items").size()).isEqualTo(MANY);
    int forMany = StatementCounting.lastCount(path);

    assertThat(forMany).as("statements for %d rows", MANY).isEqualTo(forOne);
    assertThat(forOne).as("one page is one query (the key and limits come from the cache)").isOne();
  }

  @Test
  void admin_usage_and_overview_cost_as_many_statements_for_sixty_users_as_for_one() {
    TestUser admin = newUser("usage-admin", Caller.Role.ADMIN);
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String usage = "/admin/usage?day=" + today;
    String overview = "/admin/console/overview";
    addUsage(1, today);
    api.get(usage, admin.key()); // the admin's key is now cached, like on a busy node
    assertThat(api.get(usage, admin.key()).json().path("days").size()).isEqualTo(1);
    int usageForOne = StatementCounting.lastCount(usage);
    assertThat(api.get(overview, admin.key()).status()).isEqualTo(200);
    int overviewForOne = StatementCounting.lastCount(overview);

    addUsage(MANY - 1, today);
    assertThat(api.get(usage, admin.key()).json().path("days").size()).isEqualTo(MANY);
    assertThat(StatementCounting.lastCount(usage)).isEqualTo(usageForOne).isOne();
    assertThat(api.get(overview, admin.key()).status()).isEqualTo(200);
    assertThat(StatementCounting.lastCount(overview)).isEqualTo(overviewForOne);
  }

  private void submit(TestUser user, int count) {
    for (int i = 0; i < count; i++) {
      var response =
          api.post(
              "/tts/request", user.key(), Payloads.submit("Sentence number " + i + ".", "wav"));
      assertThat(response.status()).isEqualTo(200);
    }
  }

  /** Users with usage today, written straight to the tables: only reading them is measured. */
  private void addUsage(int users, LocalDate day) {
    for (int i = 0; i < users; i++) {
      Caller user = this.users.createUser("usage-" + java.util.UUID.randomUUID(), Caller.Role.USER);
      jdbc.sql(
              "INSERT INTO usage_daily (user_id, day, requests, characters, audio_seconds)"
                  + " VALUES (?, ?, 1, 10, 1.5)")
          .param(user.userId())
          .param(day)
          .update();
    }
  }
}
