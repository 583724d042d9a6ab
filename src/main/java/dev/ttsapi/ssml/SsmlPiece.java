package dev.ttsapi.ssml;

/** One step of an SSML document in speaking order: words to say, a pause, or a mark. */
public sealed interface SsmlPiece {

  /**
   * Words spoken in one breath group: the text of one sentence or paragraph (or of a span with its
   * own prosody, language or phonemes).
   *
   * @param text what is said, with say-as and sub already turned into words
   * @param prosody how, relative to the request's settings
   * @param language the span's {@code xml:lang}, or null for the document's language
   * @param ipa the IPA of a {@code <phoneme>}, or null; {@code text} is its fallback
   */
  record Words(String text, Prosody prosody, String language, String ipa) implements SsmlPiece {}

  /** A {@code <break>}: silence of this length. */
  record Pause(int millis) implements SsmlPiece {}

  /** A {@code <mark name="..."/>}: its time in the audio is reported with the job's result. */
  record Mark(String name) implements SsmlPiece {}
}
