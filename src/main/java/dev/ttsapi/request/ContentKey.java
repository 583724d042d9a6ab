package dev.ttsapi.request;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name of a piece of audio: sha256 over everything that decides how it sounds. Two requests
 * with the same key get the same audio, so it is synthesized and stored once.
 */
final class ContentKey {

  private ContentKey() {}

  /**
   * @param owner the user the audio is kept for when it is not shared ({@link
   *     AudioCacheScope#PER_USER}); null when every user shares it
   * @param ssml whether the text is an SSML document
   * @param spokenText the text the engine is given (the normalized text, with lexicons applied)
   * @param lexiconVersions the lexicons applied ({@code name@version,...}), or null for none: a
   *     lexicon changed since is another key, so its old audio is never served
   */
  static String of(
      java.util.UUID owner,
      String voiceId,
      String engineVersion,
      double speed,
      double pitch,
      String format,
      int sampleRate,
      boolean ssml,
      String spokenText,
      String lexiconVersions) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      // Fields are separated by NUL, which normalized text never contains.
      String material =
          String.join(
              "\0",
              // SSML is marked so a document never shares audio with the same text read aloud
              // as plain text (markup and all); plain text keeps the keys it always had.
              (owner == null ? "v2" : "v2/user:" + owner) + (ssml ? "/ssml" : ""),
              voiceId,
              engineVersion,
              Double.toString(speed),
              Double.toString(pitch),
              format,
              Integer.toString(sampleRate),
              spokenText);
      if (lexiconVersions != null) {
        // only then, so that the keys of audio made without lexicons stay what they were
        material += "\0lexicons:" + lexiconVersions;
      }
      return HexFormat.of().formatHex(sha.digest(material.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
