package dev.ttsapi.engine;

import java.util.IllformedLocaleException;
import java.util.Locale;

/** BCP-47 spelling and comparison, lenient about case and underscores. */
public final class LanguageTags {

  private LanguageTags() {}

  /**
   * Whether {@code tag} is a well-formed BCP-47 tag ({@code en}, {@code vi-VN}, {@code
   * cmn-Latn-pinyin}; underscores count as hyphens). {@code en-}, {@code -} and {@code 123} are
   * not. Whether any voice speaks it is another question.
   */
  public static boolean isWellFormed(String tag) {
    if (tag == null || tag.isBlank()) {
      return false;
    }
    try {
      new Locale.Builder().setLanguageTag(tag.strip().replace('_', '-'));
      return true;
    } catch (IllformedLocaleException e) {
      return false;
    }
  }

  /**
   * The conventional spelling: {@code en_us} and {@code EN-us} become {@code en-US}, {@code
   * cmn-latn-pinyin} becomes {@code cmn-Latn-pinyin}. Subtags after an {@code x} stay lower case.
   * Meant for {@link #isWellFormed well-formed} tags; anything else comes back lower case.
   */
  public static String canonical(String tag) {
    if (!isWellFormed(tag)) {
      return tag.strip().toLowerCase(Locale.ROOT);
    }
    String[] parts = tag.strip().replace('_', '-').split("-");
    StringBuilder out = new StringBuilder(parts[0].toLowerCase(Locale.ROOT));
    boolean privateUse = parts[0].equalsIgnoreCase("x");
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i];
      out.append('-');
      if (p.equalsIgnoreCase("x")) {
        privateUse = true;
      }
      if (!privateUse && p.length() == 2 && Character.isLetter(p.charAt(0))) {
        out.append(p.toUpperCase(Locale.ROOT));
      } else if (!privateUse && p.length() == 4 && Character.isLetter(p.charAt(0))) {
        out.append(Character.toUpperCase(p.charAt(0)))
            .append(p.substring(1).toLowerCase(Locale.ROOT));
      } else {
        out.append(p.toLowerCase(Locale.ROOT));
      }
    }
    return out.toString();
  }

  /** The primary language subtag, lower case: {@code en} for {@code en-GB}. */
  public static String base(String tag) {
    String t = tag.strip().replace('_', '-');
    int dash = t.indexOf('-');
    return (dash < 0 ? t : t.substring(0, dash)).toLowerCase(Locale.ROOT);
  }

  /**
   * Whether {@code tag} is {@code prefix} or a more specific tag under it ({@code en} ⊇ {@code
   * en-US}).
   */
  public static boolean hasPrefix(String tag, String prefix) {
    String t = canonical(tag).toLowerCase(Locale.ROOT);
    String p = canonical(prefix).toLowerCase(Locale.ROOT);
    return t.equals(p) || t.startsWith(p + "-");
  }
}
