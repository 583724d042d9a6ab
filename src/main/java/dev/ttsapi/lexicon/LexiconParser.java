package dev.ttsapi.lexicon;

import dev.ttsapi.text.TextNormalizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an uploaded lexicon into rules, checking the limits of {@link LexiconProperties} on the
 * way.
 *
 * <p>PLS is parsed by a DOM parser that refuses any DOCTYPE (so no entity of any kind, internal or
 * external, and no DTD fetched), resolves no XInclude and reaches for no external schema: an upload
 * can neither read a file of the server nor make it connect anywhere, nor expand into billions of
 * characters.
 *
 * <p>The JSON form is an array of objects {@code {"grapheme": "…", "alias": "…", "phoneme": "…"}}:
 * {@code grapheme} and at least one of {@code alias} and {@code phoneme} (IPA); any other field is
 * an error, so a misspelt one is not silently ignored.
 */
final class LexiconParser {

  static final String PLS_NAMESPACE = "http://www.w3.org/2005/01/pronunciation-lexicon";
  private static final Set<String> JSON_FIELDS = Set.of("grapheme", "alias", "phoneme");

  private final LexiconProperties limits;
  private final JsonMapper json;

  LexiconParser(LexiconProperties limits, JsonMapper json) {
    this.limits = limits;
    this.json = json;
  }

  List<LexiconRule> parse(LexiconFormat format, byte[] body) {
    if (body.length == 0) {
      throw new LexiconFormatException("the lexicon is empty");
    }
    if (body.length > limits.maxBytes()) {
      throw new LexiconFormatException(
          "the lexicon is " + body.length + " bytes; the limit is " + limits.maxBytes());
    }
    List<LexiconRule> rules = format == LexiconFormat.PLS ? pls(body) : json(body);
    if (rules.isEmpty()) {
      throw new LexiconFormatException("the lexicon has no rules");
    }
    return rules;
  }

  private List<LexiconRule> json(byte[] body) {
    JsonNode root;
    try {
      root = json.readTree(new String(body, StandardCharsets.UTF_8));
    } catch (JacksonException e) {
      throw new LexiconFormatException("not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isArray()) {
      throw new LexiconFormatException(
          "the JSON form is an array of {\"grapheme\", \"alias\" or \"phoneme\"} objects");
    }
    Rules rules = new Rules();
    for (int i = 0; i < root.size(); i++) {
      JsonNode item = root.get(i);
      String where = "[" + i + "]";
      if (!item.isObject()) {
        throw new LexiconFormatException(where + " must be an object");
      }
      for (String field : item.propertyNames()) {
        if (!JSON_FIELDS.contains(field)) {
          throw new LexiconFormatException(
              where + "." + field + " is not a field of a rule (grapheme, alias, phoneme)");
        }
      }
      rules.add(
          where,
          string(item, "grapheme", where),
          string(item, "alias", where),
          string(item, "phoneme", where));
    }
    return rules.list;
  }

  private static String string(JsonNode item, String field, String where) {
    JsonNode value = item.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      throw new LexiconFormatException(where + "." + field + " must be a string");
    }
    return value.stringValue();
  }

  private List<LexiconRule> pls(byte[] body) {
    Document document = parseXml(body);
    Element root = document.getDocumentElement();
    if (!"lexicon".equals(root.getLocalName())
        || !(PLS_NAMESPACE.equals(root.getNamespaceURI()) || root.getNamespaceURI() == null)) {
      throw new LexiconFormatException(
          "the root element must be <lexicon xmlns=\"" + PLS_NAMESPACE + "\">");
    }
    String alphabet = root.getAttribute("alphabet");
    Rules rules = new Rules();
    int lexemes = 0;
    for (Element lexeme : children(root, "lexeme")) {
      lexemes++;
      String where = "lexeme " + lexemes;
      List<Element> graphemes = children(lexeme, "grapheme");
      if (graphemes.isEmpty()) {
        throw new LexiconFormatException(where + " has no <grapheme>");
      }
      List<Element> aliases = children(lexeme, "alias");
      List<Element> phonemes = children(lexeme, "phoneme");
      String alias = aliases.isEmpty() ? null : aliases.getFirst().getTextContent();
      String phoneme = null;
      if (!phonemes.isEmpty()) {
        Element first = phonemes.getFirst();
        String own = first.getAttribute("alphabet");
        String used = own.isEmpty() ? alphabet : own;
        if (!used.equalsIgnoreCase("ipa")) {
          throw new LexiconFormatException(
              where
                  + ": phoneme alphabet '"
                  + used
                  + "' is not supported; write phonemes in IPA (alphabet=\"ipa\")");
        }
        phoneme = first.getTextContent();
      }
      if (alias == null && phoneme == null) {
        throw new LexiconFormatException(where + " has neither <alias> nor <phoneme>");
      }
      for (Element grapheme : graphemes) {
        rules.add(where, grapheme.getTextContent(), alias, phoneme);
      }
    }
    return rules.list;
  }

  private static Document parseXml(byte[] body) {
    try {
      DocumentBuilder builder = hardenedFactory().newDocumentBuilder();
      // the default handler prints parse errors to stderr; they are thrown instead
      builder.setErrorHandler(
          new DefaultHandler() {
            @Override
            public void error(SAXParseException e) throws SAXException {
              throw e;
            }
          });
      builder.setEntityResolver(
          (publicId, systemId) -> {
            throw new SAXException("external entities are not allowed");
          });
      return builder.parse(new ByteArrayInputStream(body));
    } catch (SAXParseException e) {
      throw new LexiconFormatException(
          "not valid PLS XML at line "
              + e.getLineNumber()
              + ", column "
              + e.getColumnNumber()
              + ": "
              + withoutParserJargon(e.getMessage()),
          e);
    } catch (SAXException | IOException e) {
      throw new LexiconFormatException("not valid PLS XML: " + e.getMessage(), e);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser lacks a security feature", e);
    }
  }

  /** Xerces says "DOCTYPE is disallowed when the feature ... set to true": keep the first part. */
  private static String withoutParserJargon(String message) {
    if (message != null && message.contains("DOCTYPE is disallowed")) {
      return "a DOCTYPE is not allowed (no DTDs, no entities)";
    }
    return message;
  }

  static DocumentBuilderFactory hardenedFactory() throws ParserConfigurationException {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
    factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    factory.setXIncludeAware(false);
    factory.setExpandEntityReferences(false);
    return factory;
  }

  private static List<Element> children(Element parent, String localName) {
    List<Element> found = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && localName.equals(e.getLocalName())) {
        found.add(e);
      }
    }
    return found;
  }

  /** Collects rules, normalizing their text and checking each against the limits. */
  private final class Rules {
    final List<LexiconRule> list = new ArrayList<>();

    void add(String where, String grapheme, String alias, String phoneme) {
      grapheme = clean(grapheme);
      alias = alias == null ? null : clean(alias);
      phoneme = phoneme == null ? null : clean(phoneme);
      if (grapheme.isEmpty()) {
        throw new LexiconFormatException(where + ": the grapheme is empty");
      }
      if (alias == null && phoneme == null) {
        throw new LexiconFormatException(where + " needs an alias or a phoneme");
      }
      if ((alias != null && alias.isEmpty()) || (phoneme != null && phoneme.isEmpty())) {
        throw new LexiconFormatException(where + ": an alias or phoneme is empty");
      }
      check(where, "grapheme", grapheme, limits.maxGraphemeLength());
      check(where, "alias", alias, limits.maxReplacementLength());
      check(where, "phoneme", phoneme, limits.maxReplacementLength());
      if (list.size() >= limits.maxRules()) {
        throw new LexiconFormatException(
            "the lexicon has more than " + limits.maxRules() + " rules, the limit");
      }
      list.add(new LexiconRule(grapheme, alias, phoneme));
    }

    private static void check(String where, String field, String value, int max) {
      if (value != null && value.codePointCount(0, value.length()) > max) {
        throw new LexiconFormatException(
            where + ": the " + field + " is longer than " + max + " characters, the limit");
      }
    }
  }

  /** The same normalization as submitted text (NFC, no control characters, one space). */
  private static String clean(String s) {
    return TextNormalizer.normalize(s).replace('\n', ' ');
  }
}
