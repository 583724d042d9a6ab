package dev.ttsapi.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.support.ApplicationYaml;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.StandardEnvironment;

/** The console's defaults, as the README states them, read from application.yaml alone. */
class ConsoleDefaultsTest {

  @Test
  void event_streams_are_bounded_and_time_out() throws Exception {
    StandardEnvironment environment = ApplicationYaml.environment();
    ConsoleProperties console =
        Binder.get(environment).bind("tts.console", ConsoleProperties.class).get();

    assertThat(console.maxStreams()).isEqualTo(1000);
    assertThat(console.maxStreamsPerUser()).isEqualTo(8);
    assertThat(console.streamBuffer()).isEqualTo(256);
    assertThat(console.streamTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(console.heartbeat()).isEqualTo(Duration.ofSeconds(1));
    assertThat(console.deadLettersShown()).isEqualTo(20);
  }
}
