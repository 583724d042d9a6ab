package dev.ttsapi.support;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.engine.Gender;
import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.Voice;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fast test engine that misbehaves on command: text containing {@link #THROW} throws a
 * RuntimeException, {@link #STACK_OVERFLOW} recurses until the stack overflows, {@link #HALT} kills
 * the whole JVM at once ({@code Runtime.halt}, no shutdown hooks, like kill -9) with exit status
 * {@link #HALT_STATUS} (only where the system property {@link #ALLOW_HALT} is true). Any other text
 * becomes a tenth of a second of tone, in microseconds, so tests can run thousands of jobs through
 * the real queue and workers.
 */
public final class FaultEngine implements SpeechEngine {

  public static final String VOICE = "fault:on-command";
  public static final String THROW = "[throw]";
  public static final String STACK_OVERFLOW = "[stack-overflow]";
  public static final String HALT = "[halt]";
  public static final int HALT_STATUS = 86;
  public static final String ALLOW_HALT = "tts.test.fault-engine.allow-halt";
  private static final int SAMPLE_RATE = 16000;

  private final AtomicInteger calls = new AtomicInteger();

  @Override
  public String id() {
    return "fault";
  }

  @Override
  public String version() {
    return "1";
  }

  @Override
  public List<Voice> voices() {
    return List.of(Voice.of("fault", "on-command", "en-x-fault", Gender.NEUTRAL, SAMPLE_RATE));
  }

  /** How many chunks it was asked to synthesize, faulty or not. */
  public int calls() {
    return calls.get();
  }

  @Override
  public Pcm synthesize(String text, Voice voice, SpeechSettings settings) {
    calls.incrementAndGet();
    if (text.contains(HALT)) {
      // Only in a worker process a test started for it, never in the JVM running the tests.
      if (!Boolean.getBoolean(ALLOW_HALT)) {
        throw new IllegalStateException("halting is allowed only with -D" + ALLOW_HALT + "=true");
      }
      Runtime.getRuntime().halt(HALT_STATUS);
    }
    if (text.contains(THROW)) {
      throw new IllegalStateException("the fault voice was told to throw");
    }
    if (text.contains(STACK_OVERFLOW)) {
      return new Pcm(new byte[2 * recurse(1)], SAMPLE_RATE);
    }
    byte[] tone = new byte[SAMPLE_RATE / 10 * 2];
    for (int i = 0; i < tone.length; i += 2) {
      tone[i + 1] = (byte) ((i / 2) % 40 < 20 ? 0x20 : 0xE0);
    }
    return new Pcm(tone, SAMPLE_RATE);
  }

  private static int recurse(int depth) {
    return depth + recurse(depth + 1);
  }
}
