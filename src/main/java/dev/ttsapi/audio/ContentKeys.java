package dev.ttsapi.audio;

import java.util.Locale;
import java.util.regex.Pattern;

/** The one rule every store applies to keys: hex only, so a key never names anything else. */
final class ContentKeys {

  private static final Pattern HEX_KEY = Pattern.compile("[0-9a-f]{4,128}");

  private ContentKeys() {}

  /** The key in lower case. */
  static String check(String key) {
    String k = key == null ? "" : key.toLowerCase(Locale.ROOT);
    if (!HEX_KEY.matcher(k).matches()) {
      throw new IllegalArgumentException("audio key must be 4 to 128 hex digits: " + key);
    }
    return k;
  }
}
