package dev.ttsapi.lexicon;

import java.util.List;

/**
 * The lexicons a request named, applied to its text for one engine.
 *
 * @param spokenText what the engine is given: the text with the rules applied (phonemes as {@code
 *     engine.PhonemeMarkup} spans)
 * @param versions each lexicon as {@code name@version}, in the order named: part of the content
 *     key, so audio made with an older version is never served for a newer one
 * @param applied how many places of the text a rule replaced
 * @param phonemeRulesDropped how many places a phoneme-only rule matched but was left as written,
 *     because the engine takes no phonemes (or not these)
 */
public record LexiconUse(
    String spokenText, List<String> versions, int applied, int phonemeRulesDropped) {

  /** The versions as one string for the content key. */
  public String versionKey() {
    return String.join(",", versions);
  }
}
