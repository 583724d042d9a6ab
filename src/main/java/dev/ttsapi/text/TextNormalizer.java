package dev.ttsapi.text;

import java.text.Normalizer;

/**
 * Cleans text before it is hashed and synthesized, so the same words always give the same content
 * key and the engines never see invisible characters. Composes to Unicode NFC (Vietnamese and other
 * diacritics stay, as single code points), drops control and format characters, turns tabs and
 * exotic spaces into plain spaces, collapses whitespace, and trims. Line breaks survive as hints:
 * one {@code \n} for a line break, {@code \n\n} for a paragraph.
 */
public final class TextNormalizer {

  private TextNormalizer() {}

  public static String normalize(String text) {
    if (text == null) {
      return "";
    }
    String composed = Normalizer.normalize(text, Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder(composed.length());
    int pendingSpaces = 0;
    int pendingNewlines = 0;
    for (int i = 0; i < composed.length(); ) {
      int c = composed.codePointAt(i);
      i += Character.charCount(c);
      if (c == '\r') {
        // \r\n is one break; a lone \r (old Mac) is one too
        if (i < composed.length() && composed.charAt(i) == '\n') {
          continue;
        }
        pendingNewlines++;
      } else if (c == '\n' || c == '\u2028' || c == '\u2029' || c == '\u000B' || c == '\f') {
        pendingNewlines++;
      } else if (c == '\t' || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        pendingSpaces++;
      } else if (isInvisible(c)) {
        continue;
      } else {
        if (out.length() > 0) {
          if (pendingNewlines > 1) {
            out.append("\n\n");
          } else if (pendingNewlines == 1) {
            out.append('\n');
          } else if (pendingSpaces > 0) {
            out.append(' ');
          }
        }
        pendingSpaces = 0;
        pendingNewlines = 0;
        out.appendCodePoint(c);
      }
    }
    return out.toString();
  }

  /**
   * Control characters and format characters (zero-width space, byte-order mark, direction marks)
   * carry nothing to speak. Zero-width joiners are kept: some scripts need them to render words.
   */
  private static boolean isInvisible(int c) {
    int type = Character.getType(c);
    if (type == Character.CONTROL) {
      return true;
    }
    return type == Character.FORMAT && c != '\u200D' && c != '\u200C';
  }
}
