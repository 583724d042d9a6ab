package dev.ttsapi.request;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.lexicon.LexiconUse;
import dev.ttsapi.ssml.SsmlReport;

/**
 * What to say and how, checked and resolved once ({@link Utterances#of}), from whichever endpoint's
 * body: the text normalized, the voice found, and what the client asked for kept beside what it
 * gets.
 *
 * @param text the normalized text (see {@code TextNormalizer}): what is hashed, stored and spoken;
 *     for SSML the document itself
 * @param characters the spoken text's length in code points (for SSML the words, not the markup):
 *     what the daily quota is charged
 * @param voice the installed voice that speaks it
 * @param engineVersion the version of that voice's engine, part of the content key
 * @param languageRequested the language the client named, or null
 * @param voiceRequested the voice name the client gave, or null
 * @param sampleRate the audio's sample rate in Hz: the one asked for, else the voice's own
 * @param ssml for SSML, what the voice's engine honours and drops of it; null for plain text
 * @param lexicons the pronunciation lexicons applied to the text, or null when none was named
 *     ({@link Utterances#withLexicons})
 */
public record Utterance(
    String text,
    int characters,
    Voice voice,
    String engineVersion,
    String languageRequested,
    String voiceRequested,
    SpeechSettings settings,
    AudioFormat format,
    int sampleRate,
    SsmlReport ssml,
    LexiconUse lexicons) {

  /** Plain text. */
  public Utterance(
      String text,
      int characters,
      Voice voice,
      String engineVersion,
      String languageRequested,
      String voiceRequested,
      SpeechSettings settings,
      AudioFormat format,
      int sampleRate) {
    this(
        text,
        characters,
        voice,
        engineVersion,
        languageRequested,
        voiceRequested,
        settings,
        format,
        sampleRate,
        null,
        null);
  }

  /** SSML, with what the voice's engine honours and drops of it. */
  public Utterance(
      String text,
      int characters,
      Voice voice,
      String engineVersion,
      String languageRequested,
      String voiceRequested,
      SpeechSettings settings,
      AudioFormat format,
      int sampleRate,
      SsmlReport ssml) {
    this(
        text,
        characters,
        voice,
        engineVersion,
        languageRequested,
        voiceRequested,
        settings,
        format,
        sampleRate,
        ssml,
        null);
  }

  /** What the engine is given: the text, with the lexicons' rules applied if any were named. */
  public String spokenText() {
    return lexicons == null ? text : lexicons.spokenText();
  }

  Utterance withLexicons(LexiconUse use) {
    return new Utterance(
        text,
        characters,
        voice,
        engineVersion,
        languageRequested,
        voiceRequested,
        settings,
        format,
        sampleRate,
        ssml,
        use);
  }

  /** The language spoken: the one asked for, else the voice's. */
  public String language() {
    return languageRequested != null ? languageRequested : voice.language();
  }
}
