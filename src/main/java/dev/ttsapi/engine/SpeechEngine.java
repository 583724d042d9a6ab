package dev.ttsapi.engine;

import dev.ttsapi.audio.Pcm;
import java.util.List;
import java.util.function.Consumer;

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
   * <p>Every engine gives PCM at the voice's sample rate and honours the speed and the pitch
   * (applied to the PCM where the synthesizer cannot do them); empty or blank text gives empty PCM,
   * not an exception. A caller interrupted meanwhile gets its audio or a {@link SynthesisException}
   * soon after, without waiting for the engine's own timeout, keeps its interrupt status, and
   * leaves nothing of the call running. {@code SpeechEngineContract} checks this for each engine.
   *
   * @throws SynthesisException when the engine cannot produce audio for this input, or has no such
   *     voice
   */
  Pcm synthesize(String text, Voice voice, SpeechSettings settings);

  /**
   * Like {@link #synthesize(String, Voice, SpeechSettings)}, and says where each word of {@code
   * text} is heard in the returned audio, for timings and captions. Engines that can measure it
   * (MaryTTS from its phone durations, espeak-ng from its word events) override this; the default
   * measures nothing ({@link TimedPcm#untimed}), and the caller estimates words inside the chunk.
   */
  default TimedPcm synthesizeTimed(String text, Voice voice, SpeechSettings settings) {
    return TimedPcm.untimed(synthesize(text, voice, settings));
  }

  /**
   * Speaks phonemes written in this engine's own notation, for SSML's {@code <phoneme>} ({@code
   * ssml.Ssml#enginePhonemes} maps IPA to it): espeak-ng's phoneme mnemonics ({@code t@m'A:toU});
   * for MaryTTS its allophones, phones separated by spaces, syllables by {@code " - "}, {@code '}
   * before a stressed syllable and words by {@code " | "}. {@code text} is the words they are the
   * sound of. The default, for engines that take no phonemes, speaks {@code text}.
   */
  default Pcm synthesizePhonemes(
      String phonemes, String text, Voice voice, SpeechSettings settings) {
    return synthesize(text, voice, settings);
  }

  /**
   * The model that serves this engine's voices ({@code gemini-2.5-flash-preview-tts}), recorded
   * with each request for cost reports; null for engines without one (MaryTTS, espeak-ng).
   */
  default String model() {
    return null;
  }

  /**
   * Like {@link #synthesize(String, Voice, SpeechSettings)}, and tells {@code usage} what this call
   * costs once it has succeeded (not called when it throws). Engines billed by the token override
   * it; the default reports the characters of {@code text}. Callers that synthesize chunks in
   * parallel pass a thread-safe consumer (or one per chunk) and add the reports up.
   */
  default Pcm synthesize(
      String text, Voice voice, SpeechSettings settings, Consumer<SynthesisUsage> usage) {
    Pcm pcm = synthesize(text, voice, settings);
    usage.accept(SynthesisUsage.ofCharacters(text));
    return pcm;
  }
}
