package dev.ttsapi.support;

import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link IntegrationTest} with the low per-user and per-address limits that the tests of those
 * limits need, and the SQL statements of each HTTP request counted ({@link StatementCounting}). A
 * test class with settings of its own starts an application context of its own, which takes many
 * seconds; the tests of limits that do not get in each other's way share this one instead. (The
 * base class lifts the failed-login limit, which only a test of that limit, or one sending wrong
 * keys more than ten times a minute from one address, would notice.)
 */
@TestPropertySource(
    properties = {
      "tts.console.max-streams-per-user=" + LowLimitsIntegrationTest.EVENT_STREAMS_PER_USER,
      "tts.openai-api.max-streams-per-user=" + LowLimitsIntegrationTest.SPEECH_STREAMS_PER_USER,
      "tts.ratelimit.failed-logins-per-minute=" + LowLimitsIntegrationTest.FAILED_LOGINS_PER_MINUTE
    })
@Import(StatementCounting.class)
public abstract class LowLimitsIntegrationTest extends IntegrationTest {

  /** {@code GET /tts/events} streams a user may hold open at once. */
  public static final int EVENT_STREAMS_PER_USER = 2;

  /** {@code POST /v1/audio/speech} answers a user may be streamed at once. */
  public static final int SPEECH_STREAMS_PER_USER = 2;

  /** Requests with a wrong key one address may send a minute. */
  public static final int FAILED_LOGINS_PER_MINUTE = 10;
}
