package dev.ttsapi.engine;

import dev.ttsapi.text.Speakable;
import java.lang.Character.UnicodeScript;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The text holds nothing the voice can say: no letter or number at all, only letters of scripts the
 * voice does not read, or (found only by synthesizing) the voice made no audible sound for it. Such
 * a request is refused, or fails, without being charged. The message names scripts, never the text.
 */
public class NothingToSpeakException extends RuntimeException {

  private final String voice;

  public NothingToSpeakException(String voice, String message) {
    super(message);
    this.voice = voice;
  }

  /**
   * Refuses {@code text} if {@code voice} can say none of it.
   *
   * @throws NothingToSpeakException saying why
   */
  public static void check(String text, Voice voice) {
    if (voice.canSpeak(text)) {
      return;
    }
    if (!Speakable.hasWords(text)) {
      throw new NothingToSpeakException(
          voice.id(),
          "Nothing to speak: the text has no letters or numbers, only punctuation, symbols or"
              + " emoji");
    }
    throw new NothingToSpeakException(
        voice.id(),
        "Nothing to speak: voice "
            + voice.id()
            + " ("
            + voice.language()
            + ") reads "
            + names(voice.scripts())
            + " letters, and this text's letters are "
            + names(Speakable.scriptsOf(text))
            + "; choose a voice of the text's language");
  }

  /** The voice was asked and made no audible sound for the whole text. */
  public static NothingToSpeakException silence(Voice voice) {
    return new NothingToSpeakException(
        voice.id(),
        "Nothing to speak: voice " + voice.id() + " made no audible sound for this text");
  }

  /** The id of the voice that could not say the text. */
  public String voice() {
    return voice;
  }

  private static String names(Set<UnicodeScript> scripts) {
    return scripts.stream()
        .map(
            s -> {
              String name = s.name().replace('_', ' ').toLowerCase(Locale.ROOT);
              return Character.toUpperCase(name.charAt(0)) + name.substring(1);
            })
        .collect(Collectors.joining(", "));
  }
}
