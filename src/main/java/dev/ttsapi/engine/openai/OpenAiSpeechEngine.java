package dev.ttsapi.engine.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.audio.speech.SpeechCreateParams;
import dev.ttsapi.audio.Pcm;
import dev.ttsapi.audio.PcmEffects;
import dev.ttsapi.engine.Gender;
import dev.ttsapi.engine.InterruptibleCall;
import dev.ttsapi.engine.LanguageTags;
import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.SynthesisException;
import dev.ttsapi.engine.Voice;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Any OpenAI-compatible {@code /v1/audio/speech} through the official openai-java SDK. It asks for
 * {@code response_format: pcm} (raw 16-bit mono little-endian, 24 kHz at OpenAI), so nothing needs
 * decoding; the speaking rate goes to the server as {@code speed}, pitch is applied to the PCM.
 * Retries of 408/409/429/5xx are the SDK's (exponential backoff with jitter, honouring {@code
 * Retry-After}). The HTTP call runs as an {@link InterruptibleCall}: an interrupted caller stops
 * waiting for the server at once.
 */
public final class OpenAiSpeechEngine implements SpeechEngine, AutoCloseable {

  public static final String ID = "openai";

  private final OpenAiEngineProperties properties;
  private final OpenAIClient client;
  private final List<Voice> voices;
  private final String where;

  public OpenAiSpeechEngine(OpenAiEngineProperties properties) {
    this.properties = properties;
    this.voices = parseVoices(properties.voices(), properties.language(), properties.sampleRate());
    OpenAIOkHttpClient.Builder builder =
        OpenAIOkHttpClient.builder()
            // self-hosted servers take no key, but the SDK wants one
            .apiKey(
                OpenAiEngineProperties.hasText(properties.apiKey()) ? properties.apiKey() : "none")
            .timeout(properties.timeout())
            .maxRetries(properties.maxRetries());
    if (OpenAiEngineProperties.hasText(properties.baseUrl())) {
      builder.baseUrl(properties.baseUrl());
    }
    this.client = builder.build();
    this.where =
        OpenAiEngineProperties.hasText(properties.baseUrl())
            ? properties.baseUrl()
            : "api.openai.com";
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String version() {
    return ID + "-" + properties.model() + "@" + where;
  }

  /** OpenAI's speech endpoint takes at most 4,096 characters of input. */
  @Override
  public int maxInputCharacters() {
    return 4096;
  }

  @Override
  public String model() {
    return properties.model();
  }

  @Override
  public List<Voice> voices() {
    return voices;
  }

  @Override
  public Pcm synthesize(String text, Voice voice, SpeechSettings settings) {
    if (!ID.equals(voice.engine()) || voices.stream().noneMatch(v -> v.id().equals(voice.id()))) {
      throw new SynthesisException(
          "the OpenAI-compatible engine has no voice '" + voice.id() + "'");
    }
    if (text == null || text.isBlank()) {
      return new Pcm(new byte[0], properties.sampleRate());
    }
    SpeechCreateParams params =
        SpeechCreateParams.builder()
            .model(properties.model())
            .voice(voice.name())
            .input(text)
            .responseFormat(SpeechCreateParams.ResponseFormat.PCM)
            .speed(settings.speed())
            .build();
    byte[] audio;
    try {
      audio =
          InterruptibleCall.run(
              "the speech server at " + where,
              () -> {
                try (HttpResponse response = client.audio().speech().create(params);
                    InputStream body = response.body()) {
                  return body.readAllBytes();
                }
              });
    } catch (UnauthorizedException | PermissionDeniedException e) {
      throw new SynthesisException(
          "the speech server at "
              + where
              + " rejected the API key (HTTP "
              + e.statusCode()
              + "); check OPENAI_API_KEY",
          e);
    } catch (OpenAIServiceException e) {
      throw new SynthesisException(
          "the speech server at "
              + where
              + " answered HTTP "
              + e.statusCode()
              + (e.statusCode() >= 500 ? " after " + properties.maxRetries() + " retries" : "")
              + ": "
              + e.getMessage(),
          e);
    } catch (OpenAIIoException | IOException e) {
      throw new SynthesisException(
          "cannot reach the speech server at " + where + ": " + e.getMessage(), e);
    } catch (OpenAIException e) {
      throw new SynthesisException(
          "the speech server at " + where + " failed: " + e.getMessage(), e);
    }
    if (audio.length == 0) {
      throw new SynthesisException("the speech server at " + where + " returned no audio");
    }
    // 16-bit samples: an odd trailing byte is half a sample
    byte[] samples = audio.length % 2 == 0 ? audio : Arrays.copyOf(audio, audio.length - 1);
    return PcmEffects.apply(new Pcm(samples, properties.sampleRate()), 1.0, settings.pitch());
  }

  /** {@code alloy:neutral} → a neutral voice named alloy; a name without a gender is neutral. */
  static List<Voice> parseVoices(List<String> specs, String language, int sampleRate) {
    List<Voice> voices = new ArrayList<>();
    String tag = LanguageTags.canonical(language);
    for (String spec : specs) {
      String s = spec.strip();
      if (s.isEmpty()) {
        continue;
      }
      int colon = s.lastIndexOf(':');
      String name = colon < 0 ? s : s.substring(0, colon).strip();
      Gender gender =
          colon < 0
              ? Gender.NEUTRAL
              : Gender.valueOf(s.substring(colon + 1).strip().toUpperCase(Locale.ROOT));
      voices.add(Voice.of(ID, name, tag, gender, sampleRate));
    }
    return List.copyOf(voices);
  }

  @Override
  public void close() {
    client.close();
  }
}
