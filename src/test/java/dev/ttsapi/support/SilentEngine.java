package dev.ttsapi.support;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.engine.Gender;
import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.Voice;
import java.util.List;

/**
 * A test engine that accepts any text and makes half a second of silence for it: text only the
 * engine can tell it has no sound for.
 */
public final class SilentEngine implements SpeechEngine {

  public static final String VOICE = "silent:hush";
  private static final int SAMPLE_RATE = 16000;

  @Override
  public String id() {
    return "silent";
  }

  @Override
  public String version() {
    return "1";
  }

  @Override
  public List<Voice> voices() {
    return List.of(Voice.of("silent", "hush", "en-x-silent", Gender.NEUTRAL, SAMPLE_RATE));
  }

  @Override
  public Pcm synthesize(String text, Voice voice, SpeechSettings settings) {
    return new Pcm(new byte[SAMPLE_RATE], SAMPLE_RATE);
  }
}
