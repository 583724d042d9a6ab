package dev.ttsapi.speech;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The API node also runs the worker role: chunks are synthesized in its own process. */
class InProcessSpeechTest extends SpeechEndpointContract {

  @Autowired SpeechService service;

  @Test
  void chunks_are_made_in_this_process() {
    assertThat(service.inProcess()).isTrue();
  }
}
