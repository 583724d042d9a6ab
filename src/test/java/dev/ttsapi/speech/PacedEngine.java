package dev.ttsapi.speech;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.engine.Gender;
import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.Voice;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A test engine with a pace the test sets: each chunk takes {@link #pace} milliseconds, chunks that
 * contain "Hold" wait until the test releases them, and the audio is 10 ms of tone per character,
 * so lengths are known. It takes at most 60 characters at once: one short sentence per chunk.
 */
public final class PacedEngine implements SpeechEngine {

  public static final String VOICE = "paced:steady";
  static final int RATE = 16000;

  // Shared by every instance: several cached test contexts run live workers on one Redis db, and
  // whichever takes a live job, the test sees its pace, holds and counts.
  private static volatile long paceMillis;
  private static volatile CountDownLatch hold = new CountDownLatch(0);
  private static final AtomicInteger calls = new AtomicInteger();
  private static final AtomicInteger running = new AtomicInteger();

  @TestConfiguration(proxyBeanMethods = false)
  public static class Config {
    @Bean
    PacedEngine pacedEngine() {
      return new PacedEngine();
    }
  }

  @Override
  public String id() {
    return "paced";
  }

  @Override
  public String version() {
    return "1";
  }

  @Override
  public List<Voice> voices() {
    return List.of(Voice.of("paced", "steady", "en-x-paced", Gender.NEUTRAL, RATE));
  }

  @Override
  public int maxInputCharacters() {
    return 60;
  }

  void reset(long pace) {
    paceMillis = pace;
    hold.countDown();
    hold = new CountDownLatch(0);
    calls.set(0);
  }

  void holdChunks() {
    hold = new CountDownLatch(1);
  }

  void release() {
    hold.countDown();
  }

  int calls() {
    return calls.get();
  }

  int running() {
    return running.get();
  }

  static int pcmBytesAt(int rate, String text) {
    return text.length() * rate / 100 * 2;
  }

  @Override
  public Pcm synthesize(String text, Voice voice, SpeechSettings settings) {
    calls.incrementAndGet();
    running.incrementAndGet();
    try {
      if (text.contains("Hold") && !hold.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the chunk");
      }
      if (paceMillis > 0) {
        Thread.sleep(paceMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      running.decrementAndGet();
    }
    int samples = text.length() * RATE / 100;
    ByteBuffer b = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < samples; i++) {
      b.putShort((short) (6000 * Math.sin(2 * Math.PI * 330 * i / (double) RATE)));
    }
    return new Pcm(b.array(), RATE);
  }
}
