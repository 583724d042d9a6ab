package dev.ttsapi.engine;

import dev.ttsapi.audio.Pcm;
import java.util.List;

/**
 * The one seam between the service and a synthesizer. An engine lists the voices it can speak with
 * and turns one chunk of text into PCM. Implementations must be safe to call from several threads
 * at once: workers run one call per synthesis slot.
 */
public interface SpeechEngine {

  /** Short engine name, the part before the colon of a voice id: {@code mary}, {@code espeak}. */
  String id();

  /**
   * A string that changes whenever the same input could sound different (engine or voice data
   * version). It is part of the content key, so stored audio from an older engine is not reused.
   */
  String version();

  /** The voices this engine can speak with right now; loaded once, cheap to call. */
  List<Voice> voices();

  /**
   * The longest text this engine takes in one call, in characters; longer text is split at sentence
   * boundaries before it gets here.
   */
  default int maxInputCharacters() {
    return Integer.MAX_VALUE;
  }

  /**
   * Synthesizes one chunk of normalized text (a sentence or a few) with the given voice.
   *
   * @throws SynthesisException when the engine cannot produce audio for this input
   */
  Pcm synthesize(String text, Voice voice, SpeechSettings settings);
}
