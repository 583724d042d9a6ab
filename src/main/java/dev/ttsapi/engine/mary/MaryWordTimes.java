package dev.ttsapi.engine.mary;

import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Where MaryTTS's words are heard, read from its acoustic parameters (MaryXML {@code ACOUSTPARAMS})
 * after synthesis has written the realised durations into them: each phone's {@code d} and each
 * pause's {@code duration}, in milliseconds, added up in document order. A word is a token with
 * phones; the tokens MaryTTS made from one written token (a number read out, {@code <mtu
 * orig="21">}) are one word, the written one.
 */
final class MaryWordTimes {

  private MaryWordTimes() {}

  /** A written word and where it is heard, in milliseconds from the start of the audio. */
  record Word(String written, double startMs, double endMs) {}

  /** The words in the order they are heard, and the length of all of it. */
  record Words(List<Word> words, double totalMs) {}

  static Words of(Document acoustics) {
    List<Word> words = new ArrayList<>();
    double at = 0;
    Element lastUnit = null;
    NodeList all = acoustics.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      String tag = e.getLocalName() != null ? e.getLocalName() : e.getTagName();
      if (tag.equals("boundary")) {
        at += number(e.getAttribute("duration"));
      } else if (tag.equals("ph")) {
        Element token = ancestor(e, "t");
        Element unit = token == null ? null : orElse(ancestor(token, "mtu"), token);
        double start = at;
        at += number(e.getAttribute("d"));
        if (unit == null) {
          continue;
        }
        if (unit == lastUnit) {
          Word last = words.removeLast();
          words.add(new Word(last.written(), last.startMs(), at));
        } else {
          String written =
              unit.getTagName().endsWith("mtu") && unit.hasAttribute("orig")
                  ? unit.getAttribute("orig")
                  : unit.getTextContent().strip();
          words.add(new Word(written, start, at));
          lastUnit = unit;
        }
      }
    }
    return new Words(words, at);
  }

  private static Element ancestor(Element e, String tag) {
    for (Node n = e.getParentNode(); n instanceof Element parent; n = parent.getParentNode()) {
      String name = parent.getLocalName() != null ? parent.getLocalName() : parent.getTagName();
      if (name.equals(tag)) {
        return parent;
      }
    }
    return null;
  }

  private static Element orElse(Element e, Element other) {
    return e != null ? e : other;
  }

  private static double number(String s) {
    if (s == null || s.isBlank()) {
      return 0;
    }
    try {
      return Double.parseDouble(s.strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
