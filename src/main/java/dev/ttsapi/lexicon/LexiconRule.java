package dev.ttsapi.lexicon;

/**
 * One entry of a lexicon: where {@code grapheme} is written, say {@code alias} instead, or say it
 * as {@code phoneme} (IPA). A rule has an alias, a phoneme, or both; with both, the phoneme is used
 * by engines that take phonemes and the alias by the others.
 *
 * @param grapheme the written form, NFC, matched as a whole word (see {@link LexiconMatcher})
 * @param alias the text spoken in its place, NFC, or null
 * @param phoneme its pronunciation in IPA, NFC, or null
 */
public record LexiconRule(String grapheme, String alias, String phoneme) {

  public LexiconRule {
    if (grapheme == null || grapheme.isBlank()) {
      throw new IllegalArgumentException("a rule needs a grapheme");
    }
    if (alias == null && phoneme == null) {
      throw new IllegalArgumentException("a rule needs an alias or a phoneme");
    }
  }

  static LexiconRule alias(String grapheme, String alias) {
    return new LexiconRule(grapheme, alias, null);
  }

  static LexiconRule phoneme(String grapheme, String ipa) {
    return new LexiconRule(grapheme, null, ipa);
  }
}
