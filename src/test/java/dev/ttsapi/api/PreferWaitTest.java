package dev.ttsapi.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading RFC 7240's {@code wait} preference: what is honoured, cut or ignored. */
class PreferWaitTest {

  private static final Duration MAX = Duration.ofSeconds(60);

  @Test
  void a_wait_is_read_among_other_preferences_and_parameters() {
    assertThat(PreferWait.parse(List.of("wait=10"), MAX)).contains(Duration.ofSeconds(10));
    assertThat(PreferWait.parse(List.of("respond-async, WAIT = 5"), MAX))
        .contains(Duration.ofSeconds(5));
    assertThat(PreferWait.parse(List.of("return=minimal", "wait=\"7\"; foo=bar"), MAX))
        .contains(Duration.ofSeconds(7));
  }

  @Test
  void a_longer_wait_is_cut_to_the_maximum() {
    assertThat(PreferWait.parse(List.of("wait=600"), MAX)).contains(MAX);
    assertThat(PreferWait.applied(MAX)).isEqualTo("wait=60");
  }

  @Test
  void what_cannot_be_read_is_ignored_rather_than_refused() {
    assertThat(PreferWait.parse(List.of("wait=soon"), MAX)).isEmpty();
    assertThat(PreferWait.parse(List.of("wait=-3"), MAX)).isEmpty();
    assertThat(PreferWait.parse(List.of("wait=0"), MAX)).isEmpty();
    assertThat(PreferWait.parse(List.of("wait=99999999999999"), MAX)).isEmpty();
    assertThat(PreferWait.parse(List.of("respond-async"), MAX)).isEmpty();
    assertThat(PreferWait.parse(List.of("waiting=5"), MAX)).isEmpty();
  }
}
