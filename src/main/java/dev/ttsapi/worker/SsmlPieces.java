package dev.ttsapi.worker;

import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.engine.VoiceCatalog;
import dev.ttsapi.ssml.Ssml;
import dev.ttsapi.ssml.SsmlDocument;
import dev.ttsapi.ssml.SsmlPiece;
import dev.ttsapi.text.SentenceSplitter;
import dev.ttsapi.worker.ChunkedSynthesis.Piece;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An SSML request as the pieces a {@link ChunkedSynthesis.ChunkStream} speaks: each span with its
 * own voice (lang), settings (prosody, emphasis) and gain (volume), phonemes in the engine's own
 * notation where it takes them, and breaks as silence; marks remember the piece they come before,
 * so their time is where that piece starts in the audio. Decisions are the ones {@code Ssml.report}
 * told the client at submit.
 *
 * @param marksBefore piece index → names of the marks just before it ({@code pieces.size()}: at the
 *     end)
 */
record SsmlPieces(List<Piece> pieces, Map<Integer, List<String>> marksBefore) {

  static SsmlPieces of(
      String ssml,
      String language,
      Voice voice,
      SpeechEngine engine,
      VoiceCatalog catalog,
      SpeechSettings settings,
      int chunkLimit) {
    SsmlDocument document = Ssml.parse(ssml, language);
    Predicate<String> speaks =
        lang -> catalog.voices(lang).stream().anyMatch(v -> v.engine().equals(engine.id()));
    List<Piece> pieces = new ArrayList<>();
    Map<Integer, List<String>> marks = new LinkedHashMap<>();
    for (SsmlPiece piece : document.pieces()) {
      switch (piece) {
        case SsmlPiece.Pause pause -> {
          if (pause.millis() > 0) {
            pieces.add(Piece.silence(pause.millis()));
          }
        }
        case SsmlPiece.Mark mark ->
            marks.computeIfAbsent(pieces.size(), i -> new ArrayList<>()).add(mark.name());
        case SsmlPiece.Words words -> {
          String lang = Ssml.spokenLanguage(words, voice.language(), speaks);
          Voice speaker =
              lang.equals(voice.language())
                  ? voice
                  : catalog.voices(lang).stream()
                      .filter(v -> v.engine().equals(engine.id()))
                      .findFirst()
                      .orElse(voice);
          SpeechSettings spanSettings =
              new SpeechSettings(
                  Math.clamp(
                      settings.speed() * words.prosody().rate(),
                      SpeechSettings.MIN_SPEED,
                      SpeechSettings.MAX_SPEED),
                  Math.clamp(
                      settings.pitch() + words.prosody().pitchSemitones(),
                      SpeechSettings.MIN_PITCH,
                      SpeechSettings.MAX_PITCH));
          double gain = words.prosody().gain();
          String phonemes =
              words.ipa() == null
                  ? null
                  : Ssml.enginePhonemes(engine.id(), speaker.language(), words.ipa()).orElse(null);
          if (phonemes != null) {
            pieces.add(
                new Piece(words.text(), phonemes, speaker, spanSettings, gain, 0, false, false));
            continue;
          }
          for (String chunk :
              SentenceSplitter.split(
                  words.text(), chunkLimit, Locale.forLanguageTag(speaker.language()))) {
            pieces.add(new Piece(chunk, null, speaker, spanSettings, gain, 0, false, false));
          }
        }
      }
    }
    return new SsmlPieces(trimAroundSilence(pieces), marks);
  }

  /** Words next to a break lose the engine's own silence on that side. */
  private static List<Piece> trimAroundSilence(List<Piece> pieces) {
    List<Piece> out = new ArrayList<>(pieces.size());
    for (int i = 0; i < pieces.size(); i++) {
      Piece p = pieces.get(i);
      if (p.isSilence()) {
        out.add(p);
        continue;
      }
      boolean lead = i > 0 && pieces.get(i - 1).isSilence();
      boolean trail = i + 1 < pieces.size() && pieces.get(i + 1).isSilence();
      out.add(p.trimmed(lead, trail));
    }
    return out;
  }
}
