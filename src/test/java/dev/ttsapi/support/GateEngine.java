package dev.ttsapi.support;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.engine.Gender;
import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.Voice;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test engine that holds every synthesis until the test opens the gate: a job that runs as long
 * as the test wants, however long the visibility timeout is.
 */
public final class GateEngine implements SpeechEngine {

  public static final String VOICE = "gate:held";

  // Open until a test closes it: warm-up's trial synthesis must not hang here.
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private final AtomicInteger calls = new AtomicInteger();
  private volatile CountDownLatch failed;

  @Override
  public String id() {
    return "gate";
  }

  @Override
  public String version() {
    return "1";
  }

  @Override
  public List<Voice> voices() {
    return List.of(Voice.of("gate", "held", "en-x-gate", Gender.NEUTRAL, 16000));
  }

  /** Closes the gate: synthesis waits from now on. */
  public void close() {
    gate = new CountDownLatch(1);
  }

  public void open() {
    gate.countDown();
  }

  /**
   * Fails the syntheses waiting at the gate now (they throw), and lets every later one through: an
   * original job whose engine fails while a duplicate waits for it.
   */
  public void failWaiting() {
    CountDownLatch waiting = gate;
    failed = waiting;
    gate = new CountDownLatch(0);
    waiting.countDown();
  }

  /** How many syntheses have started. */
  public int calls() {
    return calls.get();
  }

  @Override
  public Pcm synthesize(String text, Voice voice, SpeechSettings settings) {
    calls.incrementAndGet();
    CountDownLatch at = gate;
    try {
      if (!at.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never opened the gate");
      }
      if (at == failed) {
        throw new IllegalStateException("failed at the gate, as the test asked");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted at the gate", e);
    }
    return Tones.square(1600, 16000);
  }
}
