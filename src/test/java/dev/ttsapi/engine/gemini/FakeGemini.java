package dev.ttsapi.engine.gemini;

import dev.ttsapi.engine.FakeHttpServer.Recorded;
import dev.ttsapi.engine.FakeHttpServer.Reply;
import dev.ttsapi.engine.FakeSpeech;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Gemini TTS's side of {@code generateContent}, for a {@link dev.ttsapi.engine.FakeHttpServer}. */
final class FakeGemini {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private FakeGemini() {}

  /**
   * Speaks the request's text ({@link FakeSpeech}) with one of Gemini's prebuilt voices, as 24 kHz
   * PCM. Gemini TTS takes no speaking rate or pitch, so the answer is the same at any speed; a
   * request that is not for audio, or names no prebuilt voice, gets Gemini's 400.
   */
  static Reply speaking(Recorded request) {
    JsonNode body = JSON.readTree(request.body());
    JsonNode config = body.path("generationConfig");
    String voice =
        config.at("/speechConfig/voiceConfig/prebuiltVoiceConfig/voiceName").asString("");
    boolean audio = config.at("/responseModalities/0").asString("").equals("AUDIO");
    if (!request.path().endsWith(":generateContent")
        || !audio
        || GeminiVoices.all("en-US").stream().noneMatch(v -> v.name().equals(voice))) {
      return Reply.json(
          400,
          """
          {"error": {"code": 400, "message": "Request contains an invalid argument.",
            "status": "INVALID_ARGUMENT"}}
          """);
    }
    String text = body.at("/contents/0/parts/0/text").asString();
    return audio(FakeSpeech.of(text, 1.0, GeminiVoices.SAMPLE_RATE).samples());
  }

  /** Gemini's answer with audio, as the API sends it. */
  static Reply audio(byte[] pcm) {
    return Reply.json(
        200,
        """
        {"candidates": [{"content": {"parts": [{"inlineData": {
            "mimeType": "audio/L16;codec=pcm;rate=24000", "data": "%s"}}], "role": "model"},
          "finishReason": "STOP", "index": 0}],
         "usageMetadata": {"promptTokenCount": 11, "candidatesTokenCount": 150,
           "totalTokenCount": 161,
           "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 11}],
           "candidatesTokensDetails": [{"modality": "AUDIO", "tokenCount": 150}]},
         "modelVersion": "gemini-2.5-flash-preview-tts", "responseId": "abc123"}
        """
            .formatted(Base64.getEncoder().encodeToString(pcm)));
  }
}
