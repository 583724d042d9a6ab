package dev.ttsapi.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.fuzz.ApiInputs.Call;
import dev.ttsapi.support.FuzzRandom;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The fuzz inputs replay from their seed, and still cover every kind of odd input. */
class ApiInputsTest {

  private static List<Call> calls(long seed, int count) {
    ApiInputs inputs = new ApiInputs(new FuzzRandom(seed), "KEY", "OTHER");
    return IntStream.range(0, count).mapToObj(i -> inputs.call()).toList();
  }

  private static List<String> reads(long seed, int count) {
    ApiInputs inputs = new ApiInputs(new FuzzRandom(seed), "KEY", "OTHER");
    return IntStream.range(0, count).mapToObj(i -> inputs.path() + " " + inputs.auth()).toList();
  }

  @Test
  void the_same_seed_generates_the_same_inputs_and_another_seed_others() {
    FuzzRandom run = FuzzRandom.forThisRun();
    long seed = run.seed();

    assertThat(calls(seed, 300))
        .as(run::replay)
        .isEqualTo(calls(seed, 300))
        .isNotEqualTo(calls(seed + 1, 300));
    assertThat(reads(seed, 300))
        .as(run::replay)
        .isEqualTo(reads(seed, 300))
        .isNotEqualTo(reads(seed + 1, 300));
  }

  @Test
  void the_submissions_cover_every_kind_of_odd_input() {
    List<Call> calls = calls(FuzzRandom.forThisRun().seed(), 1500);

    assertGenerated(calls, "Unicode text", c -> c.body().contains("Tiếng Việt"));
    assertGenerated(calls, "escaped non-ASCII", c -> c.body().contains("\\u"));
    assertGenerated(calls, "lone surrogates", ApiInputsTest::hasLoneSurrogate);
    assertGenerated(calls, "deep nesting", c -> c.body().contains("[".repeat(1000)));
    assertGenerated(calls, "oversize text", c -> c.body().length() > 100_000);
    assertGenerated(calls, "no text", c -> c.body().startsWith("{\"voice_settings\""));
    assertGenerated(calls, "an unexpected field", c -> c.body().contains("\"unexpected_"));
    assertGenerated(calls, "a number out of range", c -> c.body().contains("1.0E308"));
    assertGenerated(
        calls, "JSON cut short", c -> c.body().startsWith("{\"text") && !c.body().endsWith("}"));
    assertGenerated(calls, "another content type", c -> !c.contentType().contains("json"));
    assertGenerated(calls, "no key", c -> c.auth() == null);
    assertGenerated(calls, "another user's key", c -> "Bearer OTHER".equals(c.auth()));
    assertGenerated(calls, "a repeated idempotency key", c -> "k1".equals(c.idem()));
    assertGenerated(calls, "SSML", c -> c.body().contains("<speak><break"));
    assertGenerated(calls, "SSML with a DOCTYPE", c -> c.body().contains("<!DOCTYPE speak"));
    assertGenerated(
        calls,
        "SSML cut short",
        c -> c.body().contains("<speak>") && !c.body().contains("</speak>"));
    assertGenerated(calls, "text_type ssml", c -> c.body().contains("\"text_type\":\"ssml\""));
  }

  private static void assertGenerated(List<Call> calls, String kind, Predicate<Call> is) {
    assertThat(calls)
        .as(() -> "some with " + kind + " (" + FuzzRandom.forThisRun().replay() + ")")
        .anyMatch(is);
  }

  private static boolean hasLoneSurrogate(Call call) {
    String body = call.body();
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (Character.isHighSurrogate(c)
          && (i + 1 == body.length() || !Character.isLowSurrogate(body.charAt(i + 1)))) {
        return true;
      }
    }
    return false;
  }
}
