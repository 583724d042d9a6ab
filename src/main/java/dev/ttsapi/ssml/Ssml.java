package dev.ttsapi.ssml;

import dev.ttsapi.engine.LanguageTags;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The seam of SSML: where the request pipeline asks whether a text is SSML and parses it, and where
 * the worker asks what an engine does with each piece. Everything an engine is said to honour here
 * is done either as text before the engine (say-as, sub), as settings of its calls (prosody,
 * emphasis, lang: a voice of the language), on the PCM (break, volume, mark), or in the engine's
 * own phoneme input (phoneme: MaryTTS and espeak-ng).
 */
public final class Ssml {

  /**
   * A document whose first element is {@code <speak>}, after an optional XML declaration, comments
   * and a DOCTYPE (which the parser then refuses: such a text is hostile SSML, not plain text).
   */
  private static final Pattern SPEAK_ROOT =
      Pattern.compile(
          "\\A\\s*(<\\?xml[^>]*\\?>\\s*)?(<!--(?:[^-]|-(?!->))*+-->\\s*|<!DOCTYPE(?:[^\\[>]++|\\[[^\\]]*+\\])*+>\\s*)*"
              + "<speak[\\s>/]",
          Pattern.DOTALL);

  /** Engines whose phoneme input this service drives. */
  private static final List<String> PHONEME_ENGINES = List.of("mary", "espeak");

  /** Done for every engine: as text, as call settings, or on the PCM. */
  private static final List<String> EVERY_ENGINE =
      List.of(
          "speak",
          "p",
          "s",
          "break",
          "prosody rate",
          "prosody pitch",
          "prosody volume",
          "emphasis",
          "sub",
          "mark",
          "lang");

  private Ssml() {}

  /** Plain text that is SSML all the same: its root is {@code <speak>}. */
  public static boolean looksLikeSsml(String text) {
    return text != null && SPEAK_ROOT.matcher(text).lookingAt();
  }

  /**
   * @param language the request's language (say-as speaks it where no xml:lang says otherwise)
   * @throws InvalidSsmlException naming the line and column of what is wrong
   */
  public static SsmlDocument parse(String ssml, String language) {
    return SsmlParser.parse(ssml, language);
  }

  /**
   * What {@code engine} honours and drops of {@code document}, spoken by a voice of {@code
   * voiceLanguage}; {@code speaks} says whether the engine has a voice of a language ({@code
   * lang}).
   */
  public static SsmlReport report(
      SsmlDocument document, String engine, String voiceLanguage, Predicate<String> speaks) {
    List<String> honoured = new ArrayList<>();
    List<SsmlReport.Dropped> dropped = new ArrayList<>();
    for (String feature : document.features()) {
      if (feature.startsWith("say-as ")) {
        String kind = feature.substring("say-as ".length());
        if (SayAs.speaks(kind)) {
          honoured.add(feature);
        } else {
          dropped.add(
              new SsmlReport.Dropped(
                  feature,
                  "interpret-as "
                      + kind
                      + " is not one of "
                      + SayAs.KINDS
                      + "; spoken as written"));
        }
      } else if (feature.startsWith("lang ")) {
        String lang = feature.substring("lang ".length());
        if (sameLanguage(lang, voiceLanguage) || speaks.test(lang)) {
          honoured.add(feature);
        } else {
          dropped.add(
              new SsmlReport.Dropped(
                  feature,
                  engine
                      + " has no voice for "
                      + lang
                      + "; spoken by the "
                      + voiceLanguage
                      + " voice"));
        }
      } else if (feature.equals("phoneme")) {
        phonemes(document, engine, voiceLanguage, speaks, honoured, dropped);
      } else if (feature.startsWith("phoneme alphabet ")) {
        dropped.add(new SsmlReport.Dropped(feature, "only IPA is taken; the text is spoken"));
      } else if (EVERY_ENGINE.contains(feature)) {
        honoured.add(feature);
      } else {
        dropped.add(new SsmlReport.Dropped(feature, "not supported; the text inside is spoken"));
      }
    }
    return new SsmlReport(honoured, dropped, null);
  }

  private static void phonemes(
      SsmlDocument document,
      String engine,
      String voiceLanguage,
      Predicate<String> speaks,
      List<String> honoured,
      List<SsmlReport.Dropped> dropped) {
    boolean any = false;
    for (SsmlPiece piece : document.pieces()) {
      if (piece instanceof SsmlPiece.Words w && w.ipa() != null) {
        String language = spokenLanguage(w, voiceLanguage, speaks);
        PhonemeAlphabets.Mapped mapped = PhonemeAlphabets.map(engine, language, w.ipa());
        if (mapped.phonemes() != null) {
          any = true;
        } else {
          dropped.add(new SsmlReport.Dropped("phoneme /" + w.ipa() + "/", mapped.whyNot()));
        }
      }
    }
    if (any) {
      honoured.add("phoneme");
    }
  }

  /** The language a piece is spoken in: its own if the engine has a voice for it. */
  public static String spokenLanguage(
      SsmlPiece.Words words, String voiceLanguage, Predicate<String> speaks) {
    String lang = words.language();
    return lang != null && !sameLanguage(lang, voiceLanguage) && speaks.test(lang)
        ? lang
        : voiceLanguage;
  }

  /**
   * The phonemes of a {@code <phoneme>} in {@code engine}'s own notation (see {@code
   * SpeechEngine#synthesizePhonemes}), or empty when they cannot be given to it (its text is
   * spoken).
   */
  public static Optional<String> enginePhonemes(String engine, String language, String ipa) {
    return Optional.ofNullable(PhonemeAlphabets.map(engine, language, ipa).phonemes());
  }

  /** Two tags of one language: "en" and "en-US", not "en" and "vi". */
  static boolean sameLanguage(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    return primary(a).equals(primary(b))
        && (LanguageTags.hasPrefix(b, a) || LanguageTags.hasPrefix(a, b));
  }

  private static String primary(String tag) {
    int dash = tag.indexOf('-');
    return (dash < 0 ? tag : tag.substring(0, dash)).toLowerCase(Locale.ROOT);
  }

  /** The features each engine honours, for {@code GET /tts/ssml}. */
  public static Map<String, List<String>> supportedByEngine(List<String> engines) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String engine : engines) {
      List<String> features = new ArrayList<>(EVERY_ENGINE);
      SayAs.KINDS.forEach(kind -> features.add("say-as " + kind));
      if (PHONEME_ENGINES.contains(engine)) {
        features.add("phoneme (IPA, English voices)");
      }
      out.put(engine, List.copyOf(features));
    }
    return out;
  }
}
