package dev.ttsapi.engine;

import com.fasterxml.jackson.annotation.JsonAlias;
import dev.ttsapi.text.Speakable;
import java.lang.Character.UnicodeScript;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A voice an engine offers.
 *
 * @param id the public id, {@code engine:name} ({@code mary:cmu-slt-hsmm})
 * @param engine the engine id
 * @param name the engine's own name for the voice
 * @param language BCP-47 language tag ({@code en-US}, {@code vi})
 * @param gender the voice's gender, used to resolve vendor-style names
 * @param sampleRate the sample rate of the PCM the voice produces, in Hz
 * @param scripts the writing systems whose letters the voice reads; empty when it reads every
 *     script, as espeak-ng does (it reads or spells out what its language does not write). A text
 *     with letters of none of them is refused before it is charged.
 */
public record Voice(
    String id,
    String engine,
    String name,
    String language,
    Gender gender,
    // published as sample_rate; a catalog row an older node wrote says sampleRate
    @JsonAlias("sampleRate") int sampleRate,
    Set<UnicodeScript> scripts) {

  public Voice {
    // Sorted (EnumSet), so a catalog publishes the same JSON for the same voice on every node;
    // null for voices published before scripts were known: they read every script.
    scripts =
        scripts == null || scripts.isEmpty()
            ? Set.of()
            : Collections.unmodifiableSet(EnumSet.copyOf(scripts));
  }

  /** A voice that reads every script. */
  public static Voice of(
      String engine, String name, String language, Gender gender, int sampleRate) {
    return new Voice(engine + ":" + name, engine, name, language, gender, sampleRate, Set.of());
  }

  /** This voice, reading only the letters of {@code scripts}. */
  public Voice readingOnly(Set<UnicodeScript> scripts) {
    return new Voice(id, engine, name, language, gender, sampleRate, scripts);
  }

  /** Whether {@code text} holds a word or number this voice can say. */
  public boolean canSpeak(String text) {
    return Speakable.hasWords(text, scripts);
  }
}
