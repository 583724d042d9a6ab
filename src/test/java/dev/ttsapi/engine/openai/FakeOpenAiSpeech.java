package dev.ttsapi.engine.openai;

import dev.ttsapi.engine.FakeHttpServer.Recorded;
import dev.ttsapi.engine.FakeHttpServer.Reply;
import dev.ttsapi.engine.FakeSpeech;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's side of {@code POST /v1/audio/speech}, for a {@link dev.ttsapi.engine.FakeHttpServer}.
 */
final class FakeOpenAiSpeech {

  /** OpenAI's documented limits: input up to 4,096 characters, speed 0.25 to 4.0. */
  static final int MAX_INPUT = 4096;

  static final double MIN_SPEED = 0.25;
  static final double MAX_SPEED = 4.0;
  static final int SAMPLE_RATE = 24000;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private FakeOpenAiSpeech() {}

  /**
   * Speaks {@code input} ({@link FakeSpeech}) as raw 24 kHz PCM at the request's {@code speed}, as
   * OpenAI does: the speed is applied by the server, 2.0 halving the duration. Input or speed out
   * of OpenAI's limits gets its 400.
   */
  static Reply speaking(Recorded request) {
    JsonNode body = JSON.readTree(request.body());
    String input = body.path("input").asString("");
    double speed = body.path("speed").asDouble(1.0);
    if (!request.path().equals("/v1/audio/speech")
        || !body.path("response_format").asString("").equals("pcm")) {
      return invalid("this fake speaks only POST /v1/audio/speech with response_format pcm");
    }
    if (input.codePointCount(0, input.length()) > MAX_INPUT) {
      return invalid("string too long: input is at most " + MAX_INPUT + " characters");
    }
    if (speed < MIN_SPEED || speed > MAX_SPEED) {
      return invalid("speed must be between " + MIN_SPEED + " and " + MAX_SPEED);
    }
    return Reply.bytes(200, "audio/pcm", FakeSpeech.of(input, speed, SAMPLE_RATE).samples());
  }

  private static Reply invalid(String message) {
    return Reply.json(
        400,
        """
        {"error": {"message": "%s", "type": "invalid_request_error", "param": null, "code": null}}
        """
            .formatted(message));
  }
}
