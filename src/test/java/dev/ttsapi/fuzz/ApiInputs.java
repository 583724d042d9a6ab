package dev.ttsapi.fuzz;

import static dev.ttsapi.support.FuzzRandom.weight;

import dev.ttsapi.support.FuzzRandom;
import dev.ttsapi.support.MarkerEngine;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What ApiFuzzTest throws at the service: submissions (mostly valid-looking bodies with odd values,
 * plus broken JSON and noise, under good and bad headers) and reads of odd paths. Everything comes
 * from one seeded generator, so the same seed gives the same inputs.
 */
final class ApiInputs {

  private static final JsonMapper PLAIN = JsonMapper.builder().build();
  private static final JsonMapper ESCAPING =
      JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  /** A generated submission: its body and headers (a null header is not sent). */
  record Call(String body, String contentType, String auth, String idem) {}

  private final FuzzRandom random;
  private final String key;
  private final String otherKey;

  /** {@code key} is the caller's own API key, {@code otherKey} another user's. */
  ApiInputs(FuzzRandom random, String key, String otherKey) {
    this.random = random;
    this.key = key;
    this.otherKey = otherKey;
  }

  Call call() {
    return new Call(
        body(),
        random.frequency(
            weight(12, () -> "application/json"),
            weight(2, () -> "application/json; charset=utf-8"),
            weight(1, this::contentType)),
        auth(),
        random.oneOf(
            () -> null, () -> random.pick("k1", "k2", "k3"), () -> random.printable(0, 300)));
  }

  /** Mostly the caller's key; now and then none, another user's, or garbage. */
  String auth() {
    return random.frequency(
        weight(8, () -> "Bearer " + key),
        weight(1, () -> null),
        weight(1, () -> "Bearer " + otherKey),
        weight(1, () -> "Bearer " + random.printable(0, 80)),
        weight(1, () -> random.printable(0, 80)));
  }

  /** A path and query of a read endpoint, with odd segments and parameters. */
  String path() {
    return random.oneOf(
        () -> "/tts/status/" + segment(),
        () -> "/tts/audio/" + segment(),
        () ->
            "/tts/requests?status="
                + segment()
                + "&cursor="
                + segment()
                + "&limit="
                + random.between(-5, 100_000),
        () -> "/tts/voices?language=" + segment(),
        () -> "/admin/users/" + segment() + "/limits");
  }

  private String segment() {
    String raw =
        random.oneOf(
            () -> random.anyString(60),
            () -> random.uuid().toString(),
            () -> random.pick("", "..", "%00", "%2e%2e", "00000000-0000-7000-8000-000000000000"));
    return URLEncoder.encode(raw, StandardCharsets.UTF_8);
  }

  private String contentType() {
    return random.pick(
        "application/json; charset=iso-8859-1",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/*",
        "garbage/;;;",
        "");
  }

  /**
   * Shaped bodies as JSON (non-ASCII escaped or not) or cut short, plus noise, deep nesting and
   * oversize text.
   */
  private String body() {
    return random.frequency(
        weight(6, () -> PLAIN.writeValueAsString(shapedBody())),
        weight(3, () -> ESCAPING.writeValueAsString(shapedBody())),
        weight(2, this::truncatedBody),
        weight(1, () -> random.anyString(300)),
        weight(1, this::deeplyNestedBody),
        // past tts.request.max-text-length (100,000): refused with a 400, or a 413 where a handler
        // keeps the 64 KB body limit. Text under it is accepted, and a 60,000-letter "word" kept
        // two MaryTTS threads busy for minutes, past the end of the run.
        weight(1, () -> "{\"text\":\"" + "w".repeat(random.between(100_001, 110_000)) + "\"}"));
  }

  private String truncatedBody() {
    String json = PLAIN.writeValueAsString(shapedBody());
    return json.substring(0, Math.min(random.between(0, 200), json.length()));
  }

  private String deeplyNestedBody() {
    int depth = random.between(1, 3000);
    return "{\"text\":" + "[".repeat(depth) + "\"x\"" + "]".repeat(depth) + "}";
  }

  /**
   * A submission's fields with odd values, some fields left out, text now and then missing, and an
   * unexpected field now and then; the bits of {@code mask} choose the combination.
   */
  private Map<String, Object> shapedBody() {
    Object text = text();
    Object settings = mostly(this::voiceSettings);
    Object format = random.oneOf(() -> random.pick("wav", "mp3", "ogg", "pcm", "flac"), this::odd);
    Object priority = mostly(() -> random.pick("high", "normal", "low"));
    Object rate = random.oneOf(() -> random.pick(8000, 16000, 22050, 48000, 7), this::odd);
    Object userId = random.oneOf(() -> null, this::odd);
    int mask = random.between(0, 127);

    Map<String, Object> body = new LinkedHashMap<>();
    body.put("text", text);
    body.put("voice_settings", settings);
    if ((mask & 1) != 0) body.put("format", format);
    if ((mask & 2) != 0) body.put("priority", priority);
    if ((mask & 4) != 0) body.put("sample_rate", rate);
    if ((mask & 8) != 0) body.put("user_id", userId);
    if ((mask & 16) != 0 && (mask & 64) != 0) body.remove("text");
    if ((mask & 32) != 0) body.put("unexpected_" + mask, List.of(1, "two", Map.of()));
    if (random.between(0, 3) == 0) {
      body.put(
          "text_type", random.oneOf(() -> random.pick("ssml", "text", "SSML", "xml"), this::odd));
    }
    return body;
  }

  private Object text() {
    return random.frequency(
        weight(4, () -> random.anyString(40)),
        weight(
            2,
            () -> random.pick("Hello.", "مرحبا", "שלום", "Tiếng Việt", "🎉🔊", "e\u0301", "日本語")),
        weight(1, () -> random.anyString(5001, 5001)),
        weight(2, this::ssml),
        weight(1, this::odd));
  }

  /** SSML: well-formed or cut, with odd attribute values, foreign elements or a hostile DOCTYPE. */
  private String ssml() {
    StringBuilder doc = new StringBuilder();
    doc.append(
        random.frequency(
            weight(6, () -> ""),
            weight(1, () -> "<?xml version=\"1.0\"?>"),
            weight(
                1,
                () ->
                    random.pick(
                        "<!DOCTYPE speak [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>",
                        "<!DOCTYPE speak [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>",
                        "<!DOCTYPE speak SYSTEM \"http://127.0.0.1:9/x.dtd\">"))));
    doc.append("<speak>");
    int parts = random.between(0, 8);
    for (int i = 0; i < parts; i++) {
      doc.append(
          random.pick(
              "Hello. ",
              "Tiếng Việt ",
              "<break time=\"" + random.pick("300ms", "2s", "11s", "-1s", "x", "") + "\"/>",
              "<break strength=\"" + random.pick("weak", "x-strong", "loud") + "\"/>",
              "<prosody rate=\""
                  + random.pick("50%", "x-fast", "0", "-50%", "fastest")
                  + "\">a</prosody>",
              "<prosody pitch=\""
                  + random.pick("+2st", "-10%", "+20Hz", "up")
                  + "\" volume=\""
                  + random.pick("-6dB", "silent", "loud", "9")
                  + "\">b</prosody>",
              "<say-as interpret-as=\""
                  + random.pick(
                      "cardinal",
                      "ordinal",
                      "date",
                      "time",
                      "telephone",
                      "digits",
                      "characters",
                      "unit")
                  + "\">"
                  + random.pick("12", "99999999999999999999", "2/9/1945", "25:99", "+84 90", "x")
                  + "</say-as>",
              "<sub alias=\"World\">W</sub>",
              "<phoneme alphabet=\"ipa\" ph=\""
                  + random.pick("təˈmɑːtoʊ", "ʔ", "", "]]")
                  + "\">t</phoneme>",
              "<lang xml:lang=\""
                  + random.pick("vi", "en-GB", "not a tag", "")
                  + "\">xin chào</lang>",
              "<mark name=\"" + random.pick("m", "", "\u0000") + "\"/>",
              "<emphasis level=\"" + random.pick("strong", "none", "huge") + "\">c</emphasis>",
              "<voice name=\"x\">d</voice>",
              "&x;",
              "&amp;",
              "<s>unclosed",
              "</p>",
              random.anyString(10)));
    }
    doc.append("</speak>");
    String text = doc.toString();
    return random.frequency(
        weight(5, () -> text),
        weight(1, () -> text.substring(0, random.between(0, text.length()))));
  }

  private Map<String, Object> voiceSettings() {
    Object language = random.oneOf(() -> random.pick("en-US", "vi", "", "xx-YY"), this::odd);
    Object voice =
        random.frequency(
            weight(5, () -> MarkerEngine.VOICE),
            weight(2, () -> random.anyString(30)),
            weight(1, this::odd));
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("voice", voice);
    if (!MarkerEngine.VOICE.equals(voice)) {
      settings.put("language", language);
    }
    settings.put("speed", number());
    settings.put("pitch", number());
    return settings;
  }

  /** Mostly a good value, now and then one of the wrong type or shape. */
  private Object mostly(Supplier<?> good) {
    return random.frequency(weight(8, good), weight(1, this::odd));
  }

  /** A value of the wrong type or shape. */
  private Object odd() {
    return random.oneOf(
        () -> null,
        random::anyInt,
        random::anyDouble,
        random::bool,
        random::anyLong,
        () -> random.listOf(3, () -> random.anyString(20)),
        () -> Map.of("nested", Map.of("deeper", List.of())),
        () -> random.stringOf("\u0000\ud800\udfff\u202e\ufeff\u0007", 10));
  }

  /** Mostly a sensible speed or pitch, now and then far out, a boundary, a string or huge. */
  private Object number() {
    return random.frequency(
        weight(6, () -> random.between(0.5, 2.0)),
        weight(
            1,
            () ->
                random.oneOf(
                    () -> random.between(-1e9, 1e9),
                    () -> random.pick(0.5, 1.0, 2.0, -12.0, 12.0, 0.0),
                    () -> "1.0",
                    () -> 1e308)));
  }
}
