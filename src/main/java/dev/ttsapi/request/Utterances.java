package dev.ttsapi.request;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.engine.NothingToSpeakException;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.engine.VoiceCatalog;
import dev.ttsapi.engine.VoiceDirectory;
import dev.ttsapi.lexicon.Lexicons;
import dev.ttsapi.ssml.Ssml;
import dev.ttsapi.ssml.SsmlDocument;
import dev.ttsapi.ssml.SsmlReport;
import dev.ttsapi.text.TextNormalizer;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Makes an {@link Utterance} from what a client sent, by the same rules for {@code POST
 * /tts/request} and {@code POST /v1/audio/speech}: the text normalized once, not blank and within
 * its endpoint's limit ({@code tts.request.max-text-length} unless the endpoint has its own); the
 * voice resolved; and something in the text the voice can say.
 */
@Component
public class Utterances {

  private final VoiceDirectory voices;
  private final RequestProperties properties;
  private final Lexicons lexicons;

  Utterances(VoiceDirectory voices, RequestProperties properties, Lexicons lexicons) {
    this.voices = voices;
    this.properties = properties;
    this.lexicons = lexicons;
  }

  /**
   * The utterance with the user's pronunciation lexicons {@code names} applied, in order, for its
   * voice's engine; the utterance itself when none is named. Its text (what is billed and shown)
   * stays as it was; the engine gets {@link Utterance#spokenText}.
   *
   * @param field the body's field that named the lexicons, for errors
   * @throws dev.ttsapi.web.InvalidInputException when a lexicon does not exist or too many are
   *     named
   */
  public Utterance withLexicons(
      Utterance utterance, UUID userId, List<String> names, String field) {
    if (names == null || names.isEmpty()) {
      return utterance;
    }
    if (utterance.ssml() != null) {
      // Rules applied to the document would rewrite its markup too; SSML has its own sub and
      // phoneme elements for what a lexicon does.
      throw new dev.ttsapi.web.InvalidInputException(
          field, "lexicons apply to plain text; in SSML use <sub alias> or <phoneme>");
    }
    return utterance.withLexicons(
        lexicons.apply(
            userId,
            names,
            utterance.voice().engine(),
            utterance.language(),
            utterance.text(),
            field));
  }

  /**
   * The utterance of a text within {@code tts.request.max-text-length}: what {@code POST
   * /tts/request}, its estimate and batch items speak.
   *
   * @param voice a voice id or name, or null for the language's best voice
   * @param language a BCP 47 tag, or null when the voice says it
   * @param sampleRate the rate asked for, or null for the voice's own
   * @throws InvalidTextException when the text is empty once normalized, or too long
   * @throws NothingToSpeakException when the voice can say nothing of the text
   */
  public Utterance of(
      String rawText,
      String voice,
      String language,
      SpeechSettings settings,
      AudioFormat format,
      Integer sampleRate) {
    return of(rawText, voice, language, settings, format, sampleRate, properties.maxTextLength());
  }

  /**
   * The same with an endpoint's own limit ({@code /v1/audio/speech} keeps OpenAI's 4,096): longer
   * is refused, saying the limit, never cut short.
   *
   * @param maxCharacters longest text accepted, in characters (code points) after normalization
   */
  public Utterance of(
      String rawText,
      String voice,
      String language,
      SpeechSettings settings,
      AudioFormat format,
      Integer sampleRate,
      int maxCharacters) {
    String text = TextNormalizer.normalize(rawText);
    if (text.isBlank()) {
      throw new InvalidTextException("text is empty");
    }
    int length = text.codePointCount(0, text.length());
    if (length > maxCharacters) {
      throw InvalidTextException.tooLong("text is", length, maxCharacters);
    }
    VoiceCatalog catalog = voices.forResolving();
    Voice resolved = catalog.resolve(voice, language);
    NothingToSpeakException.check(text, resolved);
    return new Utterance(
        text,
        length,
        resolved,
        catalog.versionOf(resolved),
        language,
        voice,
        settings,
        format,
        sampleRate != null ? sampleRate : resolved.sampleRate());
  }

  /**
   * The same for an SSML document: parsed (hardened, see {@code ssml.Ssml}) with the voice's
   * language as the one say-as speaks; the spoken words, not the markup, are what is checked for
   * length and something to say, and what is billed. The document itself is what is stored and
   * hashed.
   *
   * @throws dev.ttsapi.ssml.InvalidSsmlException when it is not SSML this service speaks
   */
  public Utterance ofSsml(
      String rawSsml,
      String voice,
      String language,
      SpeechSettings settings,
      AudioFormat format,
      Integer sampleRate) {
    String source = TextNormalizer.normalize(rawSsml);
    if (source.isBlank()) {
      throw new InvalidTextException("text is empty");
    }
    VoiceCatalog catalog = voices.forResolving();
    Voice resolved = catalog.resolve(voice, language);
    SsmlDocument document = Ssml.parse(source, language != null ? language : resolved.language());
    String spoken = document.spokenText();
    int length = document.characters();
    if (length > properties.maxTextLength()) {
      throw InvalidTextException.tooLong("the SSML speaks", length, properties.maxTextLength());
    }
    NothingToSpeakException.check(spoken, resolved);
    SsmlReport report =
        Ssml.report(
            document,
            resolved.engine(),
            resolved.language(),
            lang ->
                catalog.voices(lang).stream().anyMatch(v -> v.engine().equals(resolved.engine())));
    return new Utterance(
        source,
        length,
        resolved,
        catalog.versionOf(resolved),
        language,
        voice,
        settings,
        format,
        sampleRate != null ? sampleRate : resolved.sampleRate(),
        report);
  }
}
