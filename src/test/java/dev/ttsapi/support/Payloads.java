package dev.ttsapi.support;

import java.util.Map;

/** Request bodies in the seed's shape. */
public final class Payloads {

  private Payloads() {}

  public static String submit(String text, String format) {
    return ApiClient.json(
        Map.of(
            "text", text,
            "voice_settings", Map.of("language", "en-US", "voice", "mary:cmu-slt-hsmm"),
            "format", format));
  }

  public static String submit(String text, String voice, String priority) {
    return ApiClient.json(
        Map.of(
            "text", text,
            "voice_settings", Map.of("voice", voice),
            "priority", priority));
  }
}
