package dev.ttsapi.ssml;

import dev.ttsapi.engine.LanguageTags;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * SSML text to an {@link SsmlDocument}, with a hardened StAX reader: no DTD is read or allowed (a
 * DOCTYPE is an error, so neither external entities nor entity expansion such as "billion laughs"
 * can happen), nothing outside the text is ever fetched, and depth and size are bounded. Every
 * error names its line and column.
 */
final class SsmlParser {

  static final String NAMESPACE = "http://www.w3.org/2001/10/synthesis";

  /** Polly's and Google's limit for one break; longer silence is better made with several. */
  static final int MAX_BREAK_MS = 10_000;

  static final int MAX_DEPTH = 64;
  static final int MAX_PIECES = 10_000;

  private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s)");
  private static final Pattern SIGNED =
      Pattern.compile("([+-]?\\d+(?:\\.\\d+)?)(%|st|Hz|dB)?", Pattern.CASE_INSENSITIVE);

  /** A pitch in hertz is taken against this voice pitch; SSML gives no voice's own pitch. */
  static final double NOMINAL_PITCH_HZ = 120.0;

  private static final XMLInputFactory FACTORY = hardenedFactory();

  private final String documentLanguage;
  private final List<SsmlPiece> pieces = new ArrayList<>();
  private final Set<String> features = new LinkedHashSet<>();
  private final Deque<Frame> frames = new ArrayDeque<>();
  private final StringBuilder words = new StringBuilder();
  private XMLStreamReader reader;

  private SsmlParser(String documentLanguage) {
    this.documentLanguage = documentLanguage;
  }

  /**
   * @param language the request's language: what say-as speaks in where no {@code xml:lang} says
   *     otherwise
   * @throws InvalidSsmlException when the text is not SSML this service speaks
   */
  static SsmlDocument parse(String ssml, String language) {
    return new SsmlParser(language).run(ssml);
  }

  private static XMLInputFactory hardenedFactory() {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setXMLResolver(
        (publicId, systemId, base, namespace) -> {
          throw new XMLStreamException("SSML may not refer to anything outside it: " + systemId);
        });
    return factory;
  }

  /** What an open element does to the text inside it. */
  private enum Mode {
    SPEAK,
    SAY_AS,
    SUB,
    PHONEME,
    SKIP
  }

  private record Frame(
      String name, Prosody prosody, String language, Mode mode, String argument, String format) {}

  private SsmlDocument run(String ssml) {
    if (!Ssml.looksLikeSsml(ssml)) {
      // The XML parser would say "content is not allowed in prolog"; this says what is wrong.
      throw new InvalidSsmlException("an SSML document's root element must be <speak>", 1, 1);
    }
    try {
      reader = FACTORY.createXMLStreamReader(new StringReader(ssml));
      StringBuilder inner = null;
      boolean rootSeen = false;
      while (reader.hasNext()) {
        int event = reader.next();
        switch (event) {
          case XMLStreamConstants.DTD ->
              throw error("a DOCTYPE is not allowed in SSML (no DTDs, no entities)");
          case XMLStreamConstants.ENTITY_REFERENCE ->
              throw error("the entity &" + reader.getLocalName() + "; is not allowed in SSML");
          case XMLStreamConstants.START_ELEMENT -> {
            if (!rootSeen) {
              if (!"speak".equals(reader.getLocalName())) {
                throw error(
                    "the root element must be <speak>, not <" + reader.getLocalName() + ">");
              }
              rootSeen = true;
            }
            if (frames.size() >= MAX_DEPTH) {
              throw error("elements are nested more than " + MAX_DEPTH + " deep");
            }
            Frame opened = open();
            frames.push(opened);
            if (opened.mode() == Mode.SAY_AS
                || opened.mode() == Mode.SUB
                || opened.mode() == Mode.PHONEME) {
              inner = new StringBuilder();
            }
          }
          case XMLStreamConstants.END_ELEMENT -> {
            // Closed while still open, so what it flushes is spoken as it says.
            Frame closed = frames.peek();
            close(closed, inner);
            frames.pop();
            if (closed.mode() == Mode.SAY_AS
                || closed.mode() == Mode.SUB
                || closed.mode() == Mode.PHONEME) {
              inner = null;
            }
          }
          case XMLStreamConstants.CHARACTERS,
              XMLStreamConstants.CDATA,
              XMLStreamConstants.SPACE -> {
            if (frames.isEmpty()) {
              if (!reader.isWhiteSpace()) {
                throw error("text outside <speak>");
              }
            } else if (inner != null) {
              inner.append(reader.getText());
            } else if (frames.peek().mode() != Mode.SKIP) {
              words.append(reader.getText());
            }
          }
          default -> {
            // comments and processing instructions say nothing
          }
        }
      }
      if (!rootSeen) {
        throw new InvalidSsmlException("the root element must be <speak>", 1, 1);
      }
    } catch (XMLStreamException e) {
      Location at = e.getLocation();
      throw new InvalidSsmlException(
          cleanMessage(e.getMessage()),
          at == null ? -1 : at.getLineNumber(),
          at == null ? -1 : at.getColumnNumber());
    } finally {
      if (reader != null) {
        try {
          reader.close();
        } catch (XMLStreamException ignored) {
          // nothing was opened outside the string
        }
      }
    }
    flush();
    return new SsmlDocument(pieces, List.copyOf(features));
  }

  /** The parser's message without its own "ParseError at [row,col]:" prefix (said already). */
  private static String cleanMessage(String message) {
    if (message == null) {
      return "not well-formed XML";
    }
    int at = message.indexOf("Message: ");
    return at >= 0 ? message.substring(at + "Message: ".length()).strip() : message.strip();
  }

  private Frame open() {
    Frame parent = frames.peek();
    Prosody prosody = parent == null ? Prosody.NEUTRAL : parent.prosody();
    String language = parent == null ? null : parent.language();
    String lang = reader.getAttributeValue(XMLConstants.XML_NS_URI, "lang");
    String name = reader.getLocalName();
    String namespace = reader.getNamespaceURI();
    boolean ssml = namespace == null || namespace.isEmpty() || NAMESPACE.equals(namespace);
    if (!ssml) {
      features.add(reader.getPrefix() + ":" + name);
      return new Frame(name, prosody, language, Mode.SPEAK, null, null);
    }
    if (lang != null) {
      if (!LanguageTags.isWellFormed(lang)) {
        throw error("xml:lang=\"" + lang + "\" is not a well-formed BCP 47 tag");
      }
      if (!"speak".equals(name)) {
        flush();
        features.add("lang " + LanguageTags.canonical(lang));
      }
      language = "speak".equals(name) ? null : LanguageTags.canonical(lang);
    }
    switch (name) {
      case "speak" -> features.add("speak");
      case "p", "s" -> {
        flush();
        features.add(name);
      }
      case "lang" -> {
        if (lang == null) {
          throw error("<lang> needs xml:lang");
        }
      }
      case "break" -> {
        flush();
        features.add("break");
        addPause(breakMillis());
      }
      case "prosody" -> {
        flush();
        prosody = prosody();
        prosody = prosody.within(parent.prosody());
      }
      case "emphasis" -> {
        flush();
        features.add("emphasis");
        prosody = emphasis(attribute("level")).within(parent.prosody());
      }
      case "say-as" -> {
        String kind = attribute("interpret-as");
        if (kind == null) {
          throw error("<say-as> needs interpret-as");
        }
        kind = kind.strip().toLowerCase(Locale.ROOT);
        features.add("say-as " + kind);
        return new Frame(name, prosody, language, Mode.SAY_AS, kind, attribute("format"));
      }
      case "sub" -> {
        String alias = attribute("alias");
        if (alias == null) {
          throw error("<sub> needs alias");
        }
        features.add("sub");
        return new Frame(name, prosody, language, Mode.SUB, alias, null);
      }
      case "phoneme" -> {
        String ph = attribute("ph");
        if (ph == null || ph.isBlank()) {
          throw error("<phoneme> needs ph");
        }
        String alphabet = attribute("alphabet");
        if (alphabet != null && !alphabet.equalsIgnoreCase("ipa")) {
          // Only IPA is mapped to the engines' own alphabets; the words are spoken instead.
          features.add("phoneme alphabet " + alphabet);
          return new Frame(name, prosody, language, Mode.PHONEME, null, null);
        }
        flush();
        features.add("phoneme");
        return new Frame(name, prosody, language, Mode.PHONEME, ph.strip(), null);
      }
      case "mark" -> {
        String markName = attribute("name");
        if (markName == null || markName.isBlank()) {
          throw error("<mark> needs name");
        }
        flush();
        features.add("mark");
        addPiece(new SsmlPiece.Mark(markName));
      }
      case "desc" -> {
        return new Frame(name, prosody, language, Mode.SKIP, null, null);
      }
      default -> features.add(name); // voice, audio, sentence… : their words are spoken as they are
    }
    return new Frame(name, prosody, language, Mode.SPEAK, null, null);
  }

  private void close(Frame closed, StringBuilder inner) {
    switch (closed.mode()) {
      case SAY_AS ->
          words
              .append(' ')
              .append(
                  SayAs.speak(
                      closed.argument(),
                      closed.format(),
                      inner.toString().strip(),
                      languageOf(closed)))
              .append(' ');
      case SUB -> words.append(' ').append(closed.argument()).append(' ');
      case PHONEME -> {
        if (closed.argument() == null) {
          words.append(' ').append(inner).append(' ');
        } else {
          String text = collapse(inner.toString());
          addPiece(
              new SsmlPiece.Words(
                  text.isEmpty() ? closed.argument() : text,
                  closed.prosody(),
                  closed.language(),
                  closed.argument()));
        }
      }
      default -> {
        switch (closed.name()) {
          case "p", "s", "prosody", "emphasis", "lang" -> flush();
          default -> {
            if (closed.language() != null) {
              flush();
            }
          }
        }
      }
    }
  }

  private String languageOf(Frame frame) {
    return frame.language() != null ? frame.language() : documentLanguage;
  }

  /** The words gathered so far become one piece, spoken as the innermost open element says. */
  private void flush() {
    String text = collapse(words.toString());
    words.setLength(0);
    if (text.isEmpty()) {
      return;
    }
    Frame current = frames.peek();
    addPiece(
        new SsmlPiece.Words(
            text,
            current == null ? Prosody.NEUTRAL : current.prosody(),
            current == null ? null : current.language(),
            null));
  }

  private static String collapse(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }

  private void addPause(int millis) {
    if (!pieces.isEmpty() && pieces.getLast() instanceof SsmlPiece.Pause last) {
      // Two breaks in a row are one silence, no longer than one break may be.
      pieces.set(
          pieces.size() - 1, new SsmlPiece.Pause(Math.min(MAX_BREAK_MS, last.millis() + millis)));
      return;
    }
    addPiece(new SsmlPiece.Pause(millis));
  }

  private void addPiece(SsmlPiece piece) {
    if (pieces.size() >= MAX_PIECES) {
      throw error("more than " + MAX_PIECES + " sentences, breaks and marks");
    }
    pieces.add(piece);
  }

  private String attribute(String name) {
    String value = reader.getAttributeValue(null, name);
    return value == null ? null : value.strip();
  }

  private int breakMillis() {
    String time = attribute("time");
    if (time != null) {
      Matcher m = TIME.matcher(time.toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw error("break time=\"" + time + "\" must be like 500ms or 2s");
      }
      double millis = Double.parseDouble(m.group(1)) * (m.group(2).equals("s") ? 1000 : 1);
      if (millis > MAX_BREAK_MS) {
        throw error("break time=\"" + time + "\" is longer than " + MAX_BREAK_MS / 1000 + "s");
      }
      return (int) Math.round(millis);
    }
    String strength = attribute("strength");
    return switch (strength == null ? "medium" : strength.toLowerCase(Locale.ROOT)) {
      case "none" -> 0;
      case "x-weak" -> 100;
      case "weak" -> 250;
      case "medium" -> 500;
      case "strong" -> 750;
      case "x-strong" -> 1000;
      default ->
          throw error(
              "break strength=\""
                  + strength
                  + "\" must be none, x-weak, weak, medium, strong or x-strong");
    };
  }

  private Prosody prosody() {
    double rate = 1.0;
    double pitch = 0.0;
    double volume = 0.0;
    String r = attribute("rate");
    if (r != null) {
      features.add("prosody rate");
      rate = rate(r);
    }
    String p = attribute("pitch");
    if (p != null) {
      features.add("prosody pitch");
      pitch = pitch(p);
    }
    String v = attribute("volume");
    if (v != null) {
      features.add("prosody volume");
      volume = volume(v);
    }
    return new Prosody(rate, pitch, volume);
  }

  private double rate(String value) {
    double rate =
        switch (value.toLowerCase(Locale.ROOT)) {
          case "x-slow" -> 0.5;
          case "slow" -> 0.75;
          case "medium", "default" -> 1.0;
          case "fast" -> 1.25;
          case "x-fast" -> 1.75;
          default -> {
            Matcher m = SIGNED.matcher(value);
            if (!m.matches() || (m.group(2) != null && !m.group(2).equals("%"))) {
              throw error("prosody rate=\"" + value + "\" must be x-slow … x-fast, 150% or 1.5");
            }
            double n = Double.parseDouble(m.group(1));
            boolean relative = value.startsWith("+") || value.startsWith("-");
            if (m.group(2) == null) {
              yield n;
            }
            yield relative ? 1 + n / 100 : n / 100;
          }
        };
    if (!(rate > 0)) {
      throw error("prosody rate=\"" + value + "\" must be faster than nothing");
    }
    return rate;
  }

  private double pitch(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "x-low":
        return -4;
      case "low":
        return -2;
      case "medium", "default":
        return 0;
      case "high":
        return 2;
      case "x-high":
        return 4;
      default:
        break;
    }
    Matcher m = SIGNED.matcher(value);
    if (!m.matches() || m.group(2) == null) {
      throw error("prosody pitch=\"" + value + "\" must be x-low … x-high, +2st, -10% or +20Hz");
    }
    double n = Double.parseDouble(m.group(1));
    boolean relative = value.startsWith("+") || value.startsWith("-");
    double semitones =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "st" -> n;
          case "%" -> 12 * log2(Math.max(0.01, relative ? 1 + n / 100 : n / 100));
          case "hz" ->
              12 * log2(Math.max(1, relative ? NOMINAL_PITCH_HZ + n : n) / NOMINAL_PITCH_HZ);
          default -> throw error("prosody pitch=\"" + value + "\" has no pitch unit");
        };
    return semitones;
  }

  private double volume(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "silent":
        return Prosody.SILENT;
      case "x-soft":
        return -12;
      case "soft":
        return -6;
      case "medium", "default":
        return 0;
      case "loud":
        return 4;
      case "x-loud":
        return 8;
      default:
        break;
    }
    Matcher m = SIGNED.matcher(value);
    if (!m.matches() || m.group(2) == null || !m.group(2).equalsIgnoreCase("dB")) {
      throw error("prosody volume=\"" + value + "\" must be silent, x-soft … x-loud or +6dB");
    }
    return Double.parseDouble(m.group(1));
  }

  private Prosody emphasis(String level) {
    return switch (level == null ? "moderate" : level.toLowerCase(Locale.ROOT)) {
      case "strong" -> new Prosody(0.85, 2, 4);
      case "moderate" -> new Prosody(0.92, 1, 2);
      case "reduced" -> new Prosody(1.1, -1, -3);
      case "none" -> Prosody.NEUTRAL;
      default ->
          throw error("emphasis level=\"" + level + "\" must be strong, moderate, reduced or none");
    };
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  private InvalidSsmlException error(String message) {
    Location at = reader.getLocation();
    return new InvalidSsmlException(message, at.getLineNumber(), at.getColumnNumber());
  }
}
