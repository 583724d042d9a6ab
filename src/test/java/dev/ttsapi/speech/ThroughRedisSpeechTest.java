package dev.ttsapi.speech;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** Every chunk goes from the worker role to the API role through Redis, even in one process. */
@TestPropertySource(properties = "tts.openai-api.synthesize-locally=false")
class ThroughRedisSpeechTest extends SpeechEndpointContract {

  @Autowired SpeechService service;

  @Test
  void chunks_really_travel_through_redis() {
    assertThat(service.inProcess()).isFalse();
  }
}
