package dev.ttsapi.lexicon;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** How a lexicon was uploaded; it is given back in the same form. */
public enum LexiconFormat {
  /** W3C Pronunciation Lexicon Specification 1.0, {@code application/pls+xml}. */
  PLS("application/pls+xml"),
  /** This service's JSON array of rules, {@code application/json}. */
  JSON("application/json");

  private final String mediaType;

  LexiconFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }

  /** Its name on the wire and in the table: {@code pls}, {@code json}. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static LexiconFormat fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }

  /** PLS for any XML media type, JSON for JSON; nothing for anything else. */
  static Optional<LexiconFormat> ofContentType(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (type.equals("application/pls+xml") || type.endsWith("/xml") || type.endsWith("+xml")) {
      return Optional.of(PLS);
    }
    if (type.equals("application/json") || type.endsWith("+json")) {
      return Optional.of(JSON);
    }
    return Optional.empty();
  }
}
