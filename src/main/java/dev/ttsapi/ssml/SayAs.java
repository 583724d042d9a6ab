package dev.ttsapi.ssml;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code <say-as>}: characters, cardinal, ordinal, digits, date, time and telephone, spoken as
 * words of the span's language (English or Vietnamese) before any engine sees them, so every engine
 * says them the same way. Content that does not fit its kind is spoken as written.
 */
final class SayAs {

  /** The interpret-as values this service speaks; others are dropped (their text is spoken). */
  static final List<String> KINDS =
      List.of("characters", "cardinal", "ordinal", "digits", "date", "time", "telephone");

  private static final Pattern NUMBER = Pattern.compile("([+-]?)([\\d.,\\s]*\\d)(?:([.,])(\\d+))?");
  private static final Pattern TIME =
      Pattern.compile("(\\d{1,2})[:hH.](\\d{2})(?:[:.](\\d{2}))?\\s*([aApP]\\.?[mM]\\.?)?");

  private SayAs() {}

  static boolean speaks(String kind) {
    return KINDS.contains(normalKind(kind));
  }

  private static String normalKind(String kind) {
    return switch (kind) {
      case "spell-out", "letters" -> "characters";
      case "number" -> "cardinal";
      default -> kind;
    };
  }

  static String speak(String kind, String format, String text, String language) {
    NumberWords words = NumberWords.of(language);
    String said =
        switch (normalKind(kind)) {
          case "characters" -> characters(text, words);
          case "cardinal" -> cardinal(text, words);
          case "ordinal" -> ordinal(text, words);
          case "digits" -> digits(text, words);
          case "date" -> date(text, format, words);
          case "time" -> time(text, words);
          case "telephone" -> telephone(text, words);
          default -> null;
        };
    return said == null ? text : said;
  }

  private static String characters(String text, NumberWords words) {
    List<String> out = new ArrayList<>();
    text.codePoints()
        .filter(c -> !Character.isWhitespace(c))
        .forEach(
            c ->
                out.add(
                    Character.isDigit(c)
                        ? words.digit(Character.digit(c, 10))
                        : Character.toString(c).toUpperCase(Locale.ROOT)));
    return String.join(" ", out);
  }

  private static String cardinal(String text, NumberWords words) {
    Matcher m = NUMBER.matcher(text.strip());
    if (!m.matches()) {
      return null;
    }
    String integer = m.group(2).replaceAll("[.,\\s]", "");
    if (integer.length() > 15) {
      return digits(text, words);
    }
    long n = Long.parseLong(integer);
    String said = words.cardinal(m.group(1).equals("-") ? -n : n);
    if (m.group(4) != null) {
      said += " " + words.point() + " " + digits(m.group(4), words);
    }
    return said;
  }

  private static String ordinal(String text, NumberWords words) {
    String digits = text.strip().replaceAll("(?i)(st|nd|rd|th|\\.)$", "");
    if (!digits.matches("\\d{1,15}")) {
      return null;
    }
    return words.ordinal(Long.parseLong(digits));
  }

  private static String digits(String text, NumberWords words) {
    List<String> out = new ArrayList<>();
    text.chars().filter(Character::isDigit).forEach(c -> out.add(words.digit(c - '0')));
    return out.isEmpty() ? null : String.join(" ", out);
  }

  /**
   * Dates as numbers in the order {@code format} gives ({@code mdy}, {@code dmy}, {@code ymd},
   * {@code md}, {@code dm}, {@code ym}, {@code my}, {@code y}, {@code m}, {@code d}); ISO dates
   * (2024-09-02) are read as such whatever the format. Without a format, English reads mdy and
   * Vietnamese dmy.
   */
  private static String date(String text, String format, NumberWords words) {
    String t = text.strip();
    String[] parts = t.split("[/.\\-\\s]+");
    String order;
    if (t.matches("\\d{4}-\\d{1,2}-\\d{1,2}")) {
      order = "ymd";
    } else if (format != null && !format.isBlank()) {
      order = format.strip().toLowerCase(Locale.ROOT);
    } else {
      order = words instanceof NumberWords.Vietnamese ? "dmy" : "mdy";
      order = order.substring(0, Math.min(order.length(), parts.length));
      if (parts.length == 2) {
        order = words instanceof NumberWords.Vietnamese ? "dm" : "md";
      }
    }
    if (parts.length != order.length() || !order.matches("[ymd]{1,3}")) {
      return null;
    }
    Integer year = null;
    Integer month = null;
    Integer day = null;
    for (int i = 0; i < parts.length; i++) {
      if (!parts[i].matches("\\d{1,4}")) {
        return null;
      }
      int value = Integer.parseInt(parts[i]);
      switch (order.charAt(i)) {
        case 'y' -> year = value;
        case 'm' -> month = value;
        default -> day = value;
      }
    }
    if (month != null && (month < 1 || month > 12) || day != null && (day < 1 || day > 31)) {
      return null;
    }
    return words.date(year, month, day);
  }

  private static String time(String text, NumberWords words) {
    Matcher m = TIME.matcher(text.strip());
    if (!m.matches()) {
      return null;
    }
    int hours = Integer.parseInt(m.group(1));
    int minutes = Integer.parseInt(m.group(2));
    Integer seconds = m.group(3) == null ? null : Integer.parseInt(m.group(3));
    if (hours > 24 || minutes > 59 || seconds != null && seconds > 59) {
      return null;
    }
    String said = words.time(hours, minutes, seconds);
    if (m.group(4) != null) {
      said += " " + (Character.toLowerCase(m.group(4).charAt(0)) == 'a' ? "A M" : "P M");
    }
    return said;
  }

  /** Digit by digit, a pause (comma) between the groups the number is written in. */
  private static String telephone(String text, NumberWords words) {
    List<String> groups = new ArrayList<>();
    String t = text.strip();
    if (t.startsWith("+")) {
      groups.add(words.plus());
    }
    for (String group : t.split("[^\\d]+")) {
      if (!group.isEmpty()) {
        groups.add(digits(group, words));
      }
    }
    return groups.isEmpty() ? null : String.join(", ", groups);
  }
}
