package dev.ttsapi.engine.espeak;

import com.sun.jna.Callback;
import com.sun.jna.Function;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One loaded copy of libespeak-ng, driven through JNA: espeak-ng's C API in synchronous mode, its
 * audio and events handed to a callback on the caller's thread.
 *
 * <p>libespeak-ng keeps all of its state in globals, so a copy speaks for one caller at a time
 * ({@link LibespeakPool} hands them out), and each copy is a file of its own ({@link LibraryCopy}):
 * the dynamic loader maps a file once however often it is opened, so only distinct files give
 * distinct globals. Loaded with {@code RTLD_LOCAL}, so one copy's calls between its own exported
 * functions never land in another's.
 *
 * <p>Its globals also carry over from one synthesis to the next (the pitch flutter's phase, the
 * wave generator's state): the same text spoken twice by one copy gives different samples. So a
 * copy is unloaded and loaded afresh after every synthesis ({@link #reload}), and speaks each text
 * from the state espeak-ng starts in, sample for sample what a new {@code espeak-ng} process gives.
 * A reload costs about 2.5 ms of CPU (measured 2026-12-02: dlopen 1.0, espeak_Initialize 0.8,
 * dlclose 0.2, espeak_Terminate 0.15 ms), on the pool's own thread. Calling espeak_Terminate and
 * espeak_Initialize again on the loaded copy would save the dlopen, but tried with Debian 12's
 * libespeak-ng that hung at the first try and never returned: the copy has to go.
 *
 * <p>Not thread-safe: one thread at a time, which the pool guarantees.
 */
final class Libespeak implements AutoCloseable {

  /** espeak_AUDIO_OUTPUT: synthesize on the calling thread, audio to the callback. */
  private static final int AUDIO_OUTPUT_SYNCHRONOUS = 2;

  /** espeak_Initialize options: phoneme events (for the pauses that end words), never exit(). */
  private static final int INITIALIZE_PHONEME_EVENTS = 0x0001;

  private static final int INITIALIZE_DONT_EXIT = 0x8000;

  /** espeak_Synth flags, as the espeak-ng program passes them: UTF-8, [[phonemes]], end pause. */
  private static final int SYNTH_FLAGS = 0x0001 | 0x0100 | 0x1000;

  private static final int POS_CHARACTER = 1;

  /** espeak_PARAMETER. */
  private static final int RATE = 1;

  private static final int PITCH = 3;

  /** espeak_VOICE: three pointers (name, languages, identifier), four bytes, an int, a pointer. */
  private static final long VOICE_SELECTOR_SIZE = 4L * Native.POINTER_SIZE + 8;

  /** RTLD_NOW, and RTLD_LOCAL (0): no copy's symbols join the global scope. */
  private static final int OPEN_FLAGS = 0x00002;

  /** espeak-ng's errors and statuses: EE_OK and ENS_OK are 0. */
  private static final int EE_OK = 0;

  /**
   * Every copy not yet closed. JNA unloads a library whose {@code NativeLibrary} is no longer
   * reachable, without espeak_Terminate: the copy's own thread (espeak-ng starts one in
   * espeak_Initialize) would be left waiting inside unmapped memory, and the next copy the loader
   * maps at the same address would signal that stray thread instead of its own, so its
   * espeak_Terminate waited forever (seen when a test's engine was dropped without closing it).
   * Held here, a copy is unloaded only by {@link #close}, after espeak_Terminate.
   */
  private static final Set<Libespeak> OPEN = ConcurrentHashMap.newKeySet();

  private final LibraryCopy copy;
  private final Path dataPath;
  private final SynthCallback callback = this::received;
  private NativeLibrary library;
  private Function synth;
  private Function setParameter;
  private Function setVoiceByName;
  private Function setVoiceByProperties;
  private Function terminate;
  private int sampleRate;

  /** What the current synthesis has received so far; null between syntheses. */
  private LibespeakSpeech current;

  /**
   * Loads {@code copy} and initializes espeak-ng with the data at {@code dataPath} (null: its
   * compiled-in default).
   *
   * @throws LinkageError or {@link IllegalStateException} when it cannot be loaded or initialized
   */
  Libespeak(LibraryCopy copy, Path dataPath) {
    this.copy = copy;
    this.dataPath = dataPath;
    load();
    OPEN.add(this);
  }

  /** The audio's sample rate (22050 for espeak-ng's voices). */
  int sampleRate() {
    return sampleRate;
  }

  /** espeak-ng's version ({@code 1.51}). */
  String version() {
    Pointer info = library.getFunction("espeak_Info").invokePointer(new Object[] {null});
    return info == null ? "unknown" : info.getString(0, StandardCharsets.UTF_8.name());
  }

  /** The data directory espeak-ng reads ({@code /usr/lib/x86_64-linux-gnu/espeak-ng-data}). */
  Path dataPath() {
    PointerByReference path = new PointerByReference();
    library.getFunction("espeak_Info").invokePointer(new Object[] {path});
    return Path.of(path.getValue().getString(0, StandardCharsets.UTF_8.name()));
  }

  /** The library's own functions, for reading its voice list ({@link LibespeakVoices}). */
  NativeLibrary library() {
    return library;
  }

  /**
   * Speaks {@code input} with espeak-ng's voice {@code voice} at {@code wordsPerMinute} and
   * espeak-ng pitch {@code pitch} (0 to 99). Stops early, returning what it has, when {@code
   * speech} says so (an interrupt, a deadline); the copy must then be {@linkplain #reload()
   * reloaded} before it speaks again, as after every synthesis.
   */
  LibespeakSpeech speak(
      String input, String voice, int wordsPerMinute, int pitch, LibespeakSpeech speech) {
    selectVoice(voice);
    check(setParameter.invokeInt(new Object[] {RATE, wordsPerMinute, 0}), "cannot set the rate");
    check(setParameter.invokeInt(new Object[] {PITCH, pitch, 0}), "cannot set the pitch");
    byte[] utf8 = input.getBytes(StandardCharsets.UTF_8);
    try (Memory text = new Memory(utf8.length + 1L)) {
      text.write(0, utf8, 0, utf8.length);
      text.setByte(utf8.length, (byte) 0);
      current = speech;
      int result =
          synth.invokeInt(
              new Object[] {
                text, (long) utf8.length + 1, 0, POS_CHARACTER, 0, SYNTH_FLAGS, null, null
              });
      if (result != EE_OK && !speech.stopped()) {
        throw new IllegalStateException("espeak_Synth failed with error " + result);
      }
      return speech;
    } finally {
      current = null;
    }
  }

  /**
   * As the espeak-ng program selects its {@code -v} voice: by name, else by language (a name that
   * is only one of a voice's languages).
   */
  private void selectVoice(String voice) {
    if (setVoiceByName.invokeInt(new Object[] {voice}) == EE_OK) {
      return;
    }
    byte[] language = voice.getBytes(StandardCharsets.UTF_8);
    try (Memory languages = new Memory(language.length + 1L);
        Memory selector = new Memory(VOICE_SELECTOR_SIZE)) {
      languages.write(0, language, 0, language.length);
      languages.setByte(language.length, (byte) 0);
      selector.clear();
      selector.setPointer(Native.POINTER_SIZE, languages); // espeak_VOICE.languages
      check(
          setVoiceByProperties.invokeInt(new Object[] {selector}),
          "espeak-ng has no voice '" + voice + "'");
    }
  }

  /**
   * Unloads the copy and loads it afresh: every global back to where a new process starts, so the
   * next synthesis gives the same samples as the first would have.
   */
  void reload() {
    unload();
    load();
  }

  /** Unloads the copy and lets its file go. */
  @Override
  public void close() {
    try {
      unload();
    } finally {
      copy.close();
      OPEN.remove(this);
    }
  }

  private void load() {
    library =
        NativeLibrary.getInstance(
            copy.path().toString(), Map.of(Library.OPTION_OPEN_FLAGS, OPEN_FLAGS));
    Function initialize = library.getFunction("espeak_Initialize");
    sampleRate =
        initialize.invokeInt(
            new Object[] {
              AUDIO_OUTPUT_SYNCHRONOUS,
              0,
              dataPath == null ? null : dataPath.toString(),
              INITIALIZE_PHONEME_EVENTS | INITIALIZE_DONT_EXIT
            });
    if (sampleRate <= 0) {
      unload();
      throw new IllegalStateException(
          "espeak_Initialize failed (" + sampleRate + "): is espeak-ng-data installed?");
    }
    library.getFunction("espeak_SetSynthCallback").invokeVoid(new Object[] {callback});
    synth = library.getFunction("espeak_Synth");
    setParameter = library.getFunction("espeak_SetParameter");
    setVoiceByName = library.getFunction("espeak_ng_SetVoiceByName");
    setVoiceByProperties = library.getFunction("espeak_ng_SetVoiceByProperties");
    terminate = library.getFunction("espeak_Terminate");
  }

  private void unload() {
    if (library == null) {
      return;
    }
    try {
      terminate.invokeInt(new Object[0]);
    } finally {
      library.close();
      library = null;
    }
  }

  /**
   * espeak-ng's callback: audio and the events in it. Never throws into native code (JNA would only
   * log it and espeak-ng would carry on): a failure stops the synthesis and is rethrown by the
   * caller's thread.
   */
  private int received(Pointer wav, int samples, Pointer events) {
    LibespeakSpeech speech = current;
    if (speech == null) {
      return 1;
    }
    try {
      speech.received(wav, samples, events);
      return speech.stopped() ? 1 : 0;
    } catch (RuntimeException | Error e) {
      speech.fail(e);
      return 1;
    }
  }

  private static void check(int error, String what) {
    if (error != EE_OK) {
      throw new IllegalArgumentException(what + " (error " + error + ")");
    }
  }

  /** {@code int t_espeak_callback(short *wav, int numsamples, espeak_EVENT *events)}. */
  public interface SynthCallback extends Callback {
    int invoke(Pointer wav, int numsamples, Pointer events);
  }
}
