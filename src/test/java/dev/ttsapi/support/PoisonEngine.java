package dev.ttsapi.support;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.engine.Gender;
import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.SynthesisException;
import dev.ttsapi.engine.Voice;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A test engine whose only voice always fails: a poison job. Counts its calls. */
public final class PoisonEngine implements SpeechEngine {

  public static final String VOICE = "poison:always-fails";

  private final AtomicInteger calls = new AtomicInteger();

  @Override
  public String id() {
    return "poison";
  }

  @Override
  public String version() {
    return "1";
  }

  @Override
  public List<Voice> voices() {
    return List.of(Voice.of("poison", "always-fails", "en-x-poison", Gender.NEUTRAL, 16000));
  }

  @Override
  public Pcm synthesize(String text, Voice voice, SpeechSettings settings) {
    calls.incrementAndGet();
    throw new SynthesisException("the poison voice never speaks");
  }

  public int calls() {
    return calls.get();
  }
}
