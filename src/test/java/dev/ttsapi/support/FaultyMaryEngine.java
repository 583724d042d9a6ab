package dev.ttsapi.support;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.engine.Gender;
import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.SynthesisException;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.engine.mary.MaryEngine;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The real MaryTTS, except that text containing {@link #THROW} fails at once: one chunk of a job
 * fails while MaryTTS is speaking its others, as when MaryTTS itself chokes on one piece of a long
 * document. MaryTTS is looked up only when a chunk is spoken, so nodes without the worker role (and
 * without MaryTTS) have this engine too.
 */
public final class FaultyMaryEngine implements SpeechEngine {

  public static final String VOICE = "faulty-mary:on-command";
  public static final String THROW = "[throw]";

  private final ObjectProvider<MaryEngine> mary;

  FaultyMaryEngine(ObjectProvider<MaryEngine> mary) {
    this.mary = mary;
  }

  @Override
  public String id() {
    return "faulty-mary";
  }

  @Override
  public String version() {
    return "1";
  }

  @Override
  public List<Voice> voices() {
    return List.of(Voice.of("faulty-mary", "on-command", "en-x-mfault", Gender.FEMALE, 48000));
  }

  @Override
  public Pcm synthesize(String text, Voice voice, SpeechSettings settings) {
    if (text.contains(THROW)) {
      // As MaryEngine reports every failure of MaryTTS.
      throw new SynthesisException("the faulty MaryTTS voice was told to throw");
    }
    MaryEngine engine = mary.getObject();
    return engine.synthesize(text, engine.voices().getFirst(), settings);
  }
}
