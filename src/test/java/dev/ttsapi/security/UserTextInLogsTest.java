package dev.ttsapi.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ApiClient.Response;
import dev.ttsapi.support.IntegrationTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A client's text stays out of the logs when an engine cannot pronounce it. MaryTTS logs an ERROR
 * quoting every token it has no pronunciation for: one submission of {@code "你 " × 2500} once wrote
 * 2,492 of them. Now such a job logs at most one WARN, with counts and no text.
 */
class UserTextInLogsTest extends IntegrationTest {

  private static final String MARY = "mary:cmu-slt-hsmm";
  private static final String TOKEN = "你";

  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private Logger root;
  private TestUser user;

  @BeforeEach
  void captureLogs() {
    user = newUser("logs-user", Caller.Role.USER);
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logged.setContext(context);
    logged.start();
    root.addAppender(logged);
  }

  @AfterEach
  void stopCapturing() {
    root.detachAppender(logged);
    logged.stop();
  }

  @Test
  void mary_logs_none_of_the_tokens_it_cannot_pronounce_and_warns_once_with_counts() {
    String text = "Hello there. " + (TOKEN + " ").repeat(2490);
    Response response = submit(text);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    String id = response.json().path("request_id").asString();

    awaitStatus(user.key(), id, "completed");

    List<ILoggingEvent> events = events();
    assertThat(events)
        .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .noneMatch(e -> e.getFormattedMessage().contains(TOKEN))
        .noneMatch(e -> e.getLoggerName().startsWith("marytts"));
    List<ILoggingEvent> warnings =
        events.stream()
            .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
            .filter(e -> id.equals(e.getMDCPropertyMap().get("request_id")))
            .toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.getFirst().getLevel()).isEqualTo(Level.WARN);
    assertThat(warnings.getFirst().getFormattedMessage())
        .contains("marytts.JPhonemiser")
        .containsPattern("\\d{4}");
  }

  @Test
  void chinese_only_for_mary_is_refused_before_mary_logs_a_line() {
    Response response = submit((TOKEN + " ").repeat(2500));

    assertThat(response.status()).as(response.text()).isEqualTo(400);
    assertThat(events()).noneMatch(e -> e.getFormattedMessage().contains(TOKEN));
  }

  private Response submit(String text) {
    return api.post(
        "/tts/request",
        user.key(),
        ApiClient.json(Map.of("text", text, "voice_settings", Map.of("voice", MARY))));
  }

  private List<ILoggingEvent> events() {
    synchronized (logged) { // the appender adds under this lock
      return List.copyOf(logged.list);
    }
  }
}
