package dev.ttsapi.engine.espeak;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.audio.PcmEffects;
import dev.ttsapi.audio.WavDecoder;
import dev.ttsapi.engine.Gender;
import dev.ttsapi.engine.LanguageTags;
import dev.ttsapi.engine.PhonemeMarkup;
import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.SynthesisException;
import dev.ttsapi.engine.TimedPcm;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.engine.WordTiming;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * espeak-ng: over 100 languages (Vietnamese among them), formant synthesis, 22 kHz. Present only
 * where the {@code espeak-ng} binary is installed; see {@link #detect()}.
 *
 * <p>Each voice is one espeak-ng language, named by its language: {@code espeak:en-us}, {@code
 * espeak:en-gb}, {@code espeak:vi}. espeak-ng's voices are male, so {@code espeak:en-us} and {@code
 * espeak:en-gb} take the roles of MaryTTS's male US ({@code cmu-bdl-hsmm}) and British ({@code
 * dfki-spike-hsmm}) voices, which are not on Maven Central.
 *
 * <p>Driven through its library, libespeak-ng ({@link LibespeakPool}: copies of the library loaded
 * side by side, one per synthesis running at once, each loaded afresh after it spoke so the same
 * input always gives the same samples), which also says where each word starts ({@link
 * #synthesizeTimed}). Where the library cannot be loaded (another system, no JNA), one {@code
 * espeak-ng} process per call instead, text on stdin (never on the command line), WAV on stdout,
 * and no word timings. Either way a call that outlives the timeout is stopped.
 */
public final class EspeakEngine implements SpeechEngine, AutoCloseable {

  public static final String ID = "espeak";
  public static final String BINARY = "espeak-ng";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Copies of libespeak-ng loaded at most, so syntheses at once: twice the processors (a worker's
   * synthesis threads, and an API node speaking streams itself), at least four. Each is a few MB.
   */
  public static final int DEFAULT_LIBRARY_COPIES =
      Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

  private static final Logger log = LoggerFactory.getLogger(EspeakEngine.class);
  static final int SAMPLE_RATE = 22050;

  /** espeak-ng's defaults and limits: 175 words per minute (80 to 450), pitch 50 (0 to 99). */
  static final int NORMAL_WPM = 175;

  static final int MIN_WPM = 80;
  static final int MAX_WPM = 450;
  static final int NORMAL_PITCH = 50;

  /**
   * espeak-ng's pitch option (0 to 99) against the semitones it moves the voice from pitch 50,
   * measured on espeak-ng 1.51 ({@code en-us}, median fundamental frequency): 69 Hz at 0, 101 Hz at
   * 50, 167 Hz at 99. Not linear, and only about -6.6 to +8.7 semitones wide; the rest of a
   * request's range is done on the PCM.
   */
  private static final double[][] PITCH_TO_SEMITONES = {
    {0, -6.59},
    {10, -5.36},
    {25, -3.38},
    {40, -1.59},
    {50, 0},
    {60, 1.58},
    {75, 4.20},
    {90, 7.06},
    {99, 8.69}
  };

  private static final int MAX_ERROR_CHARS = 2000;

  /** For listing voices at start-up, independent of the per-call timeout. */
  private static final Duration LIST_TIMEOUT = Duration.ofSeconds(20);

  private final Path executable;
  private final Duration timeout;
  private final String version;
  private final List<Voice> voices;

  /** The library's copies; null when each call runs the {@code espeak-ng} process. */
  private final LibespeakPool library;

  /**
   * Runs the given espeak-ng binary, one process per call; lists its voices now.
   *
   * @throws SynthesisException when the binary does not run
   */
  public EspeakEngine(Path executable, Duration timeout) {
    this.executable = executable;
    this.timeout = timeout;
    this.library = null;
    String versionLine =
        new String(run(List.of("--version"), "", LIST_TIMEOUT), StandardCharsets.UTF_8);
    this.version = parseVersion(versionLine);
    this.voices =
        parseVoices(new String(run(List.of("--voices"), "", LIST_TIMEOUT), StandardCharsets.UTF_8));
  }

  private EspeakEngine(Path executable, Duration timeout, LibespeakPool library) {
    this.executable = executable;
    this.timeout = timeout;
    this.library = library;
    this.version = "espeak-ng-" + library.version();
    this.voices = library.voices();
  }

  /**
   * Drives libespeak-ng at {@code library}, up to {@code copies} syntheses at once.
   *
   * @throws IllegalStateException when the library cannot be loaded (the reason is the cause)
   */
  public static EspeakEngine throughLibrary(
      Path executable, Path library, Duration timeout, int copies) {
    try {
      return new EspeakEngine(executable, timeout, new LibespeakPool(library, copies));
    } catch (IOException | RuntimeException | LinkageError e) {
      throw new IllegalStateException("cannot load " + library + ": " + e, e);
    }
  }

  /**
   * The engine, when {@code espeak-ng} is on the PATH and runs: through libespeak-ng when it loads,
   * else one process per call.
   */
  public static Optional<EspeakEngine> detect() {
    return detect(DEFAULT_TIMEOUT, true);
  }

  /**
   * @param useLibrary whether to try libespeak-ng first; false runs a process per call
   */
  public static Optional<EspeakEngine> detect(Duration timeout, boolean useLibrary) {
    Optional<Path> binary = findOnPath();
    if (binary.isEmpty()) {
      return Optional.empty();
    }
    if (useLibrary) {
      try {
        EspeakEngine engine =
            throughLibrary(
                binary.get(), LibespeakPool.DEFAULT_LIBRARY, timeout, DEFAULT_LIBRARY_COPIES);
        log.info(
            "espeak-ng runs through libespeak-ng ({}), up to {} syntheses at once, with word"
                + " timings",
            LibespeakPool.DEFAULT_LIBRARY,
            DEFAULT_LIBRARY_COPIES);
        return Optional.of(engine);
      } catch (IllegalStateException e) {
        log.warn(
            "libespeak-ng cannot be used ({}); espeak-ng runs as one process per call, without"
                + " word timings",
            e.getMessage());
      }
    }
    try {
      return Optional.of(new EspeakEngine(binary.get(), timeout));
    } catch (SynthesisException e) {
      return Optional.empty();
    }
  }

  /** Whether this engine drives libespeak-ng (true) or runs a process per call. */
  public boolean throughLibrary() {
    return library != null;
  }

  /** Unloads the library's copies (a process engine has nothing to let go). */
  @Override
  public void close() {
    if (library != null) {
      library.close();
    }
  }

  /** Syntheses under way in the library, for tests that check nothing is left running. */
  int librarySynthesesUnderway() {
    return library == null ? 0 : library.busy();
  }

  /** Where {@code espeak-ng} is on the PATH, without running it. */
  public static Optional<Path> findOnPath() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isBlank()) {
        continue;
      }
      Path candidate = Path.of(dir, BINARY);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  @Override
  public String id() {
    return ID;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public List<Voice> voices() {
    return voices;
  }

  @Override
  public Pcm synthesize(String text, Voice voice, SpeechSettings settings) {
    return synthesizeTimed(text, voice, settings).pcm();
  }

  /**
   * Through the library, each word where espeak-ng's word event puts its start, to the first pause
   * or clause end after it (or the next word); in the chunk's chars, and in the samples returned,
   * after any speed or pitch applied to the PCM. Through a process, no timings.
   */
  @Override
  public TimedPcm synthesizeTimed(String text, Voice voice, SpeechSettings settings) {
    if (text == null || text.isBlank()) {
      checkVoice(voice);
      return TimedPcm.untimed(new Pcm(new byte[0], SAMPLE_RATE));
    }
    // the client's words defused, a lexicon's pronunciations as phoneme input
    return speak(EspeakInput.of(text), voice, settings);
  }

  /** espeak-ng reads phoneme mnemonics between {@code [[ ]]}; only these, never a client's text. */
  @Override
  public Pcm synthesizePhonemes(
      String phonemes, String text, Voice voice, SpeechSettings settings) {
    if (phonemes == null || phonemes.isBlank() || phonemes.contains("]]")) {
      return synthesize(text, voice, settings);
    }
    return speak(EspeakInput.phonemes(phonemes, text == null ? "" : text), voice, settings).pcm();
  }

  private void checkVoice(Voice voice) {
    if (!ID.equals(voice.engine()) || voices.stream().noneMatch(v -> v.id().equals(voice.id()))) {
      throw new SynthesisException("espeak-ng has no voice '" + voice.id() + "'");
    }
  }

  private TimedPcm speak(EspeakInput input, Voice voice, SpeechSettings settings) {
    checkVoice(voice);
    int wpm = wordsPerMinute(settings.speed());
    int pitch = pitch(settings.pitch());
    double pitchLeft = settings.pitch() - semitonesOf(pitch);
    TimedPcm spoken =
        library != null
            ? speakThroughLibrary(input, voice, wpm, pitch)
            : TimedPcm.untimed(speakInProcess(input.text(), voice, wpm, pitch));
    // espeak-ng cannot go below 80 words per minute or above 450, nor far in pitch: the PCM
    // takes the rest (no-op within espeak-ng's range, up to rounding)
    double speedLeft = settings.speed() * NORMAL_WPM / wpm;
    if (Math.abs(speedLeft - 1) < 0.01 && Math.abs(pitchLeft) < 0.25) {
      return spoken;
    }
    Pcm pcm = PcmEffects.apply(spoken.pcm(), speedLeft, pitchLeft);
    return new TimedPcm(pcm, scaled(spoken.words(), spoken.pcm().sampleCount(), pcm.sampleCount()));
  }

  private TimedPcm speakThroughLibrary(EspeakInput input, Voice voice, int wpm, int pitch) {
    LibespeakSpeech speech = new LibespeakSpeech(System.nanoTime() + timeout.toNanos());
    try {
      library.speak(input.text(), voice.name(), wpm, pitch, speech);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new SynthesisException("espeak-ng failed: " + e.getMessage(), e);
    }
    if (speech.failure() != null) {
      throw new SynthesisException(
          "espeak-ng's audio could not be read: " + speech.failure(), speech.failure());
    }
    if (speech.stop() == LibespeakSpeech.Stop.INTERRUPTED) {
      // the interrupt is still set: espeak-ng was stopped because of it, nothing cleared it
      throw new SynthesisException("interrupted while espeak-ng was speaking");
    }
    if (speech.stop() == LibespeakSpeech.Stop.DEADLINE) {
      throw new SynthesisException("espeak-ng took longer than " + timeout + " and was stopped");
    }
    return new TimedPcm(new Pcm(speech.pcm(), library.sampleRate()), speech.words(input));
  }

  /**
   * Word timings of PCM {@code from} samples long moved onto the same audio made {@code to} long (a
   * tempo change keeps the proportions).
   */
  static List<WordTiming> scaled(List<WordTiming> words, int from, int to) {
    if (from == to || from == 0 || words.isEmpty()) {
      return words;
    }
    double factor = (double) to / from;
    return words.stream()
        .map(
            w ->
                new WordTiming(
                    w.charStart(),
                    w.charEnd(),
                    (int) Math.min(to, Math.round(w.startSample() * factor)),
                    (int) Math.min(to, Math.round(w.endSample() * factor))))
        .toList();
  }

  private Pcm speakInProcess(String input, Voice voice, int wpm, int pitch) {
    List<String> args =
        List.of(
            "--stdout",
            "-b",
            "1",
            "-v",
            voice.name(),
            "-s",
            Integer.toString(wpm),
            "-p",
            Integer.toString(pitch));
    try {
      return WavDecoder.decode(run(args, input, timeout));
    } catch (IllegalArgumentException e) {
      throw new SynthesisException("espeak-ng wrote no usable WAV: " + e.getMessage(), e);
    }
  }

  static int wordsPerMinute(double speed) {
    return (int) Math.max(MIN_WPM, Math.min(MAX_WPM, Math.round(NORMAL_WPM * speed)));
  }

  /** The espeak-ng pitch (0 to 99) closest to {@code semitones} from the voice's normal pitch. */
  static int pitch(double semitones) {
    double[][] t = PITCH_TO_SEMITONES;
    if (semitones <= t[0][1]) {
      return 0;
    }
    for (int i = 1; i < t.length; i++) {
      if (semitones <= t[i][1]) {
        double f = (semitones - t[i - 1][1]) / (t[i][1] - t[i - 1][1]);
        return (int) Math.round(t[i - 1][0] + f * (t[i][0] - t[i - 1][0]));
      }
    }
    return 99;
  }

  /** How many semitones espeak-ng pitch {@code p} moves the voice (inverse of {@link #pitch}). */
  static double semitonesOf(int p) {
    double[][] t = PITCH_TO_SEMITONES;
    for (int i = 1; i < t.length; i++) {
      if (p <= t[i][0]) {
        double f = (p - t[i - 1][0]) / (t[i][0] - t[i - 1][0]);
        return t[i - 1][1] + f * (t[i][1] - t[i - 1][1]);
      }
    }
    return t[t.length - 1][1];
  }

  /**
   * What espeak-ng reads: the client's words with their {@code [[} defused, and the pronunciations
   * a lexicon put in ({@link PhonemeMarkup}, already in espeak-ng's mnemonics) as its phoneme input
   * {@code [[...]]}.
   */
  static String input(String text) {
    return EspeakInput.of(text).text();
  }

  /** {@code [[...]]} would be read as phoneme codes; a client's text is always words. */
  static String withoutPhonemeInput(String text) {
    return EspeakInput.plain(text).text();
  }

  /**
   * Parses the table of {@code espeak-ng --voices}: {@code Pty Language Age/Gender VoiceName File
   * Other Languages}. A language listed twice keeps its first row.
   */
  static List<Voice> parseVoices(String table) {
    Map<String, Voice> byLanguage = new LinkedHashMap<>();
    for (String line : table.split("\n")) {
      String[] cols = line.strip().split("\\s+");
      if (cols.length < 4 || !cols[0].matches("\\d+")) {
        continue; // header or blank
      }
      String language = cols[1];
      String genderCol = cols[2];
      Gender gender =
          switch (genderCol.substring(genderCol.indexOf('/') + 1)) {
            case "M" -> Gender.MALE;
            case "F" -> Gender.FEMALE;
            default -> Gender.NEUTRAL;
          };
      byLanguage.putIfAbsent(
          language, Voice.of(ID, language, languageTag(language), gender, SAMPLE_RATE));
    }
    return List.copyOf(byLanguage.values());
  }

  /**
   * espeak-ng's name of a language as a well-formed BCP-47 tag. Two of espeak-ng 1.51's names are
   * not ({@code en-us-nyc}: a three-letter variant; {@code chr-US-Qaaa-x-west}: a script after the
   * region); what follows their longest well-formed start becomes private use: {@code en-US-x-nyc},
   * {@code chr-US-x-qaaa-west}.
   */
  static String languageTag(String name) {
    if (LanguageTags.isWellFormed(name)) {
      return LanguageTags.canonical(name);
    }
    List<String> parts = List.of(name.split("-"));
    int keep = parts.size() - 1;
    while (keep > 1 && !LanguageTags.isWellFormed(String.join("-", parts.subList(0, keep)))) {
      keep--;
    }
    List<String> rest =
        parts.subList(keep, parts.size()).stream().filter(p -> !p.equalsIgnoreCase("x")).toList();
    return LanguageTags.canonical(
        String.join("-", parts.subList(0, keep)) + "-x-" + String.join("-", rest));
  }

  static String parseVersion(String versionLine) {
    // "eSpeak NG text-to-speech: 1.51  Data at: /usr/lib/..."
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("text-to-speech:\\s*(\\S+)").matcher(versionLine);
    return "espeak-ng-" + (m.find() ? m.group(1) : "unknown");
  }

  private byte[] run(List<String> args, String stdin, Duration timeout) {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(args);
    Process process;
    try {
      process = new ProcessBuilder(command).start();
    } catch (IOException e) {
      throw new SynthesisException("cannot start " + executable + ": " + e.getMessage(), e);
    }
    // stdout and stderr are drained on their own threads, so a full pipe never blocks the child
    CompletableFuture<byte[]> stdout = readAsync(process.getInputStream());
    CompletableFuture<byte[]> stderr = readAsync(process.getErrorStream());
    try {
      try (OutputStream in = process.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // the child exited early; its exit code and stderr say why
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new SynthesisException("espeak-ng took longer than " + timeout + " and was stopped");
      }
      byte[] out = stdout.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (process.exitValue() != 0) {
        String err = new String(stderr.get(), StandardCharsets.UTF_8).strip();
        if (err.length() > MAX_ERROR_CHARS) {
          err = err.substring(0, MAX_ERROR_CHARS);
        }
        throw new SynthesisException("espeak-ng failed (exit " + process.exitValue() + "): " + err);
      }
      return out;
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new SynthesisException("interrupted while espeak-ng was speaking", e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      process.destroyForcibly();
      throw new SynthesisException("cannot read espeak-ng's output: " + e.getMessage(), e);
    }
  }

  private static CompletableFuture<byte[]> readAsync(InputStream stream) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("espeak-ng-reader")
        .start(
            () -> {
              try (stream) {
                result.complete(stream.readAllBytes());
              } catch (IOException e) {
                result.completeExceptionally(e);
              }
            });
    return result;
  }
}
