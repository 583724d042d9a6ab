package dev.ttsapi.ssml;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A parsed SSML document: what to say, in order, and which SSML features it used (so each answer
 * can say which were honoured and which dropped for the chosen engine).
 *
 * @param pieces the words, pauses and marks in speaking order
 * @param features every feature the document used, once each, in order of first use ({@code break},
 *     {@code prosody rate}, {@code say-as date}, {@code lang vi}, {@code voice}…)
 */
public record SsmlDocument(List<SsmlPiece> pieces, List<String> features) {

  public SsmlDocument {
    pieces = List.copyOf(pieces);
    features = List.copyOf(features);
  }

  /** The words only, as one text: what is billed and checked for something to say. */
  public String spokenText() {
    return pieces.stream()
        .filter(SsmlPiece.Words.class::isInstance)
        .map(p -> ((SsmlPiece.Words) p).text())
        .collect(Collectors.joining(" "));
  }

  /** Characters of the spoken text (code points): the billable characters of the document. */
  public int characters() {
    String text = spokenText();
    return text.codePointCount(0, text.length());
  }
}
