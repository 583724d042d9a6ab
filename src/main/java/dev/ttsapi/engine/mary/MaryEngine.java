package dev.ttsapi.engine.mary;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.audio.PcmEffects;
import dev.ttsapi.engine.EngineLogs;
import dev.ttsapi.engine.Gender;
import dev.ttsapi.engine.LanguageTags;
import dev.ttsapi.engine.PhonemeMarkup;
import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.SynthesisException;
import dev.ttsapi.engine.TimedPcm;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.engine.WordTiming;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import marytts.LocalMaryInterface;
import marytts.datatypes.MaryData;
import marytts.datatypes.MaryDataType;
import marytts.server.Request;

/**
 * MaryTTS 5.2.1 in process: HSMM voices found on the classpath ({@code cmu-slt-hsmm}, US English
 * female, 48 kHz, is the one on Maven Central).
 *
 * <p>MaryTTS is a process-wide singleton that starts once (a second or two, loading the voices)
 * when the first {@code MaryEngine} is built. Each call builds its own {@link Request}, the way
 * {@link LocalMaryInterface} does internally, so concurrent calls share no mutable state.
 *
 * <p>Speed and pitch are applied to the finished PCM ({@link PcmEffects}): MaryTTS's own rate and
 * F0 effects leave the duration of HSMM voices unchanged, measured on 5.2.1.
 *
 * <p>MaryTTS's log4j setup writes {@code <mary.base>/log/server.log} when log4j-core handles its
 * logging, and {@code mary.base} defaults to the working directory. Unless set already, this class
 * points {@code mary.base} at a directory under {@code java.io.tmpdir} and routes MaryTTS's logger
 * to the console, so nothing is written where the service runs. With Spring Boot's default logging
 * (log4j API bridged to SLF4J) MaryTTS logs through Logback as {@code marytts.*}; what it logs at
 * WARN and above while speaking a job is held back and counted ({@link EngineLogs}), because it
 * quotes the text.
 */
public final class MaryEngine implements SpeechEngine {

  public static final String ID = "mary";
  private static final String VERSION = "marytts-5.2.1";

  /** Changes when {@link PcmEffects} does, because it is part of what this engine outputs. */
  private static final String EFFECTS_VERSION = "fx1";

  private final Map<String, marytts.modules.synthesis.Voice> maryVoices;
  private final List<Voice> voices;

  /**
   * Starts MaryTTS if it is not running yet and loads its voices.
   *
   * @throws SynthesisException when MaryTTS cannot start or has no voice
   */
  public MaryEngine() {
    keepLogsOutOfWorkingDirectory();
    // MaryTTS logs an ERROR quoting each token it cannot pronounce: the client's text
    EngineLogs.holdBack("marytts");
    try {
      new LocalMaryInterface(); // starts the MaryTTS runtime once per JVM
    } catch (Exception e) {
      throw new SynthesisException("MaryTTS cannot start: " + e.getMessage(), e);
    }
    this.maryVoices =
        marytts.modules.synthesis.Voice.getAvailableVoices().stream()
            .collect(
                Collectors.toMap(
                    marytts.modules.synthesis.Voice::getName,
                    Function.identity(),
                    (a, b) -> a,
                    java.util.TreeMap::new));
    if (maryVoices.isEmpty()) {
      throw new SynthesisException("MaryTTS started without any voice on the classpath");
    }
    this.voices =
        maryVoices.values().stream()
            .map(MaryEngine::toVoice)
            .sorted(Comparator.comparing(Voice::id))
            .toList();
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String version() {
    return VERSION + "+" + EFFECTS_VERSION;
  }

  @Override
  public List<Voice> voices() {
    return voices;
  }

  @Override
  public Pcm synthesize(String text, Voice voice, SpeechSettings settings) {
    marytts.modules.synthesis.Voice maryVoice = maryVoices.get(voice.name());
    if (!ID.equals(voice.engine()) || maryVoice == null) {
      throw new SynthesisException("MaryTTS has no voice '" + voice.id() + "'");
    }
    int rate = (int) maryVoice.dbAudioFormat().getSampleRate();
    if (text == null || text.isBlank()) {
      return new Pcm(new byte[0], rate);
    }
    Pcm pcm;
    try {
      pcm = toPcm(generate(text, maryVoice), rate);
    } catch (SynthesisException e) {
      throw e;
    } catch (Exception e) {
      throw new SynthesisException("MaryTTS could not synthesize the text: " + e.getMessage(), e);
    }
    return PcmEffects.apply(pcm, settings.speed(), settings.pitch());
  }

  /**
   * Synthesizes in two MaryTTS requests, each its own {@link Request} (no shared state between
   * threads): text to acoustic parameters, then those to audio. Synthesis writes the phone
   * durations it realised into the parameters ({@code HTSEngine.setRealisedProsody}), which say
   * where each word is heard ({@link MaryWordTimes}). The audio is what {@link #synthesize} makes:
   * the same modules run on the same input, only the intermediate document is kept.
   */
  @Override
  public TimedPcm synthesizeTimed(String text, Voice voice, SpeechSettings settings) {
    marytts.modules.synthesis.Voice maryVoice = maryVoices.get(voice.name());
    if (!ID.equals(voice.engine()) || maryVoice == null) {
      throw new SynthesisException("MaryTTS has no voice '" + voice.id() + "'");
    }
    int rate = (int) maryVoice.dbAudioFormat().getSampleRate();
    if (text == null || text.isBlank()) {
      return TimedPcm.untimed(new Pcm(new byte[0], rate));
    }
    Pcm raw;
    MaryWordTimes.Words words;
    try {
      org.w3c.dom.Document acoustics = acousticParameters(text, maryVoice);
      AudioInputStream audio = audioOf(acoustics, maryVoice);
      raw = toPcm(audio, rate);
      words = MaryWordTimes.of(acoustics);
    } catch (SynthesisException e) {
      throw e;
    } catch (Exception e) {
      throw new SynthesisException("MaryTTS could not synthesize the text: " + e.getMessage(), e);
    }
    Pcm pcm = PcmEffects.apply(raw, settings.speed(), settings.pitch());
    return new TimedPcm(pcm, wordTimings(text, words, raw, pcm));
  }

  /**
   * The measured words at the characters of {@code text} they were read from (found in order; a
   * word not found is left out, for the caller to estimate), in samples of {@code pcm}: the
   * durations' milliseconds at the voice's rate, stretched as speed stretched the audio.
   */
  static List<WordTiming> wordTimings(String text, MaryWordTimes.Words words, Pcm raw, Pcm pcm) {
    double samplesPerMs = raw.sampleRate() / 1000.0;
    double stretch = raw.sampleCount() == 0 ? 1 : (double) pcm.sampleCount() / raw.sampleCount();
    List<WordTiming> timings = new java.util.ArrayList<>();
    int cursor = 0;
    for (MaryWordTimes.Word word : words.words()) {
      int at = word.written().isEmpty() ? -1 : text.indexOf(word.written(), cursor);
      if (at < 0 || at > cursor + 200) {
        continue;
      }
      cursor = at + word.written().length();
      int start =
          (int) Math.min(pcm.sampleCount(), Math.round(word.startMs() * samplesPerMs * stretch));
      int end =
          (int)
              Math.clamp(
                  Math.round(word.endMs() * samplesPerMs * stretch), start, pcm.sampleCount());
      timings.add(new WordTiming(at, cursor, start, end));
    }
    return timings;
  }

  private static org.w3c.dom.Document acousticParameters(
      String text, marytts.modules.synthesis.Voice voice) throws Exception {
    return fromText(text, MaryDataType.ACOUSTPARAMS, voice).getDocument();
  }

  private static AudioInputStream audioOf(
      org.w3c.dom.Document acoustics, marytts.modules.synthesis.Voice voice) throws Exception {
    Request request = request(MaryDataType.ACOUSTPARAMS, MaryDataType.AUDIO, voice);
    MaryData input = new MaryData(MaryDataType.ACOUSTPARAMS, voice.getLocale());
    input.setDefaultVoice(voice);
    input.setDocument(acoustics);
    request.setInputData(input);
    request.process();
    return request.getOutputData().getAudio();
  }

  /**
   * MaryTTS takes phonemes as MaryXML tokens with a {@code ph} attribute (its allophone set), which
   * its lexicon and letter-to-sound rules then leave alone.
   */
  @Override
  public Pcm synthesizePhonemes(
      String phonemes, String text, Voice voice, SpeechSettings settings) {
    marytts.modules.synthesis.Voice maryVoice = maryVoices.get(voice.name());
    if (!ID.equals(voice.engine()) || maryVoice == null) {
      throw new SynthesisException("MaryTTS has no voice '" + voice.id() + "'");
    }
    if (phonemes == null || phonemes.isBlank()) {
      return synthesize(text, voice, settings);
    }
    int rate = (int) maryVoice.dbAudioFormat().getSampleRate();
    Pcm pcm;
    try {
      pcm = toPcm(generateTokens(phonemeTokens(phonemes, text, maryVoice), maryVoice), rate);
    } catch (SynthesisException e) {
      throw e;
    } catch (Exception e) {
      throw new SynthesisException(
          "MaryTTS could not synthesize the phonemes: " + e.getMessage(), e);
    }
    return PcmEffects.apply(pcm, settings.speed(), settings.pitch());
  }

  /**
   * One {@code <t ph>} per phoneme word, the words of {@code text} beside them where they match.
   */
  static String phonemeTokens(String phonemes, String text, marytts.modules.synthesis.Voice voice) {
    String[] words = phonemes.split("\\s*\\|\\s*");
    String[] spelled = text == null ? new String[0] : text.strip().split("\\s+");
    StringBuilder xml =
        new StringBuilder(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><maryxml version=\"0.5\""
                    + " xmlns=\"http://mary.dfki.de/2002/MaryXML\" xml:lang=\"")
            .append(escape(voice.getLocale().toLanguageTag()))
            .append("\"><p><s>");
    for (int i = 0; i < words.length; i++) {
      String word = words.length == spelled.length ? spelled[i] : i == 0 ? text : "";
      xml.append("<t ph=\"").append(escape(words[i].strip())).append("\">");
      xml.append(escape(word == null || word.isBlank() ? "x" : word)).append("</t>");
    }
    return xml.append("</s></p></maryxml>").toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static AudioInputStream generateTokens(
      String maryXml, marytts.modules.synthesis.Voice voice) throws Exception {
    Request request = request(MaryDataType.RAWMARYXML, MaryDataType.AUDIO, voice);
    MaryData input = new MaryData(MaryDataType.RAWMARYXML, voice.getLocale());
    input.setDocument(marytts.util.dom.DomUtils.parseDocument(maryXml));
    request.setInputData(input);
    request.process();
    return request.getOutputData().getAudio();
  }

  /** A request to MaryTTS, its audio (when {@code output} is audio) in the voice's own format. */
  private static Request request(
      MaryDataType inputType, MaryDataType output, marytts.modules.synthesis.Voice voice) {
    AudioFileFormat fileFormat =
        output == MaryDataType.AUDIO
            ? new AudioFileFormat(
                AudioFileFormat.Type.WAVE, voice.dbAudioFormat(), AudioSystem.NOT_SPECIFIED)
            : null;
    return new Request(
        inputType,
        output,
        voice.getLocale(),
        voice,
        null, // effects
        null, // style
        1,
        fileFormat,
        false, // streaming
        null); // output type parameters
  }

  private static AudioInputStream generate(String text, marytts.modules.synthesis.Voice voice)
      throws Exception {
    return fromText(text, MaryDataType.AUDIO, voice).getAudio();
  }

  /**
   * Text processed by MaryTTS up to {@code output}. Pronunciations from a lexicon go in as MaryXML
   * tokens that carry their transcription, which MaryTTS's phonemiser keeps instead of looking the
   * word up.
   */
  private static MaryData fromText(
      String text, MaryDataType output, marytts.modules.synthesis.Voice voice) throws Exception {
    boolean phonemes = PhonemeMarkup.contains(text);
    MaryDataType inputType = phonemes ? MaryDataType.RAWMARYXML : MaryDataType.TEXT;
    Request request = request(inputType, output, voice);
    MaryData input = new MaryData(inputType, voice.getLocale());
    input.setData(phonemes ? maryXml(text, voice.getLocale()) : text);
    request.setInputData(input);
    request.process();
    return request.getOutputData();
  }

  /**
   * The text as a MaryXML paragraph: words as text for MaryTTS to tokenize, each lexicon
   * pronunciation as a token with its transcription ({@code <t ph="t @ - ' m EI - t @U">}).
   */
  static String maryXml(String text, java.util.Locale locale) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "<maryxml xmlns=\"http://mary.dfki.de/2002/MaryXML\" version=\"0.5\" xml:lang=\""
        + escapeXml(locale.toLanguageTag())
        + "\"><p>"
        + PhonemeMarkup.render(
            text,
            MaryEngine::escapeXml,
            transcription -> " <t ph=\"" + escapeXml(transcription) + "\">word</t> ")
        + "</p></maryxml>";
  }

  private static String escapeXml(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /**
   * Reads the whole stream as 16-bit mono little-endian. {@code readAllBytes()} is not enough:
   * MaryTTS's appendable stream returns only its first block to it.
   */
  private static Pcm toPcm(AudioInputStream audio, int rate) throws IOException {
    AudioFormat target = new AudioFormat(rate, 16, 1, true, false);
    try (AudioInputStream in =
        audio.getFormat().matches(target)
            ? audio
            : AudioSystem.getAudioInputStream(target, audio)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(rate * 2 * 4);
      byte[] buffer = new byte[16 * 1024];
      try {
        for (int n; (n = in.read(buffer)) != -1; ) {
          out.write(buffer, 0, n);
        }
      } catch (Throwable stopped) {
        drain(in, buffer, stopped);
        throw stopped;
      }
      byte[] bytes = out.toByteArray();
      if (bytes.length % 2 != 0) {
        bytes = java.util.Arrays.copyOf(bytes, bytes.length - 1);
      }
      return new Pcm(bytes, rate);
    }
  }

  /**
   * Reads and drops what is left of a stream whose reading stopped early. MaryTTS vocodes each
   * sentence on a thread of its own that blocks until its reader has taken every sample, and
   * nothing else ends it: a stream left unread parks those threads, with megabytes of speech
   * parameters each, for the life of the JVM. Closing the stream does not stop them, nor does
   * interrupting the reader (MaryTTS turns the interrupt into a RuntimeException on the reading
   * side only), so the interrupt is set aside while the rest is read and put back after.
   */
  private static void drain(AudioInputStream in, byte[] buffer, Throwable stopped) {
    boolean interrupted = Thread.interrupted() || causedByInterrupt(stopped);
    try {
      while (in.read(buffer) != -1) {
        // dropped: only the vocoder threads' ending matters now
      }
    } catch (IOException | RuntimeException e) {
      stopped.addSuppressed(e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static boolean causedByInterrupt(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InterruptedException || t instanceof InterruptedIOException) {
        return true;
      }
    }
    return false;
  }

  private static Voice toVoice(marytts.modules.synthesis.Voice v) {
    String gender = String.valueOf(v.gender());
    Gender g =
        switch (gender.toLowerCase(java.util.Locale.ROOT)) {
          case "female" -> Gender.FEMALE;
          case "male" -> Gender.MALE;
          default -> Gender.NEUTRAL;
        };
    return Voice.of(
            ID,
            v.getName(),
            LanguageTags.canonical(v.getLocale().toLanguageTag()),
            g,
            (int) v.dbAudioFormat().getSampleRate())
        .readingOnly(Set.of(scriptOf(v.getLocale())));
  }

  /**
   * The one script a MaryTTS voice reads. Letters of any other give no sound at all (measured with
   * {@code cmu-slt-hsmm}: Chinese, Japanese kanji, Russian and Arabic text came out as 0 samples,
   * while Latin text of other languages, Vietnamese with its diacritics among them, was spoken).
   */
  static Character.UnicodeScript scriptOf(java.util.Locale locale) {
    return switch (locale.getLanguage()) {
      case "ru" -> Character.UnicodeScript.CYRILLIC;
      case "te" -> Character.UnicodeScript.TELUGU;
      default -> Character.UnicodeScript.LATIN; // en, de, fr, it, lb, sv, tr
    };
  }

  private static void keepLogsOutOfWorkingDirectory() {
    if (System.getProperty("mary.base") == null) {
      System.setProperty(
          "mary.base", Path.of(System.getProperty("java.io.tmpdir"), "tts-api-marytts").toString());
    }
    if (System.getProperty("log4j.logger.marytts") == null) {
      // only this entry of MaryTTS's log4j.properties can be overridden; it drops the file appender
      System.setProperty("log4j.logger.marytts", "INFO, stderr");
    }
  }
}
