package dev.ttsapi.support;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.engine.Gender;
import dev.ttsapi.engine.SpeechEngine;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.Voice;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test engine whose audio says which chunk it is: a tone as many samples long as 10 times the
 * first number in the chunk's text (1 if it has none), then 20 samples of silence. Reading the tone
 * lengths back tells the order the chunks were joined in. When armed, its first two calls wait for
 * each other, which only succeeds if they run at the same time.
 */
public final class MarkerEngine implements SpeechEngine {

  public static final String VOICE = "marker:chunks";
  public static final int SAMPLE_RATE = 16000;
  public static final int GAP = 20;
  private static final Pattern NUMBER = Pattern.compile("\\d+");

  private volatile CyclicBarrier meeting;
  private final java.util.concurrent.atomic.AtomicInteger calls =
      new java.util.concurrent.atomic.AtomicInteger();

  /** How many chunks it has synthesized. */
  public int calls() {
    return calls.get();
  }

  @Override
  public String id() {
    return "marker";
  }

  @Override
  public String version() {
    return "1";
  }

  @Override
  public java.util.List<Voice> voices() {
    return java.util.List.of(
        Voice.of("marker", "chunks", "en-x-marker", Gender.NEUTRAL, SAMPLE_RATE));
  }

  @Override
  public int maxInputCharacters() {
    return 120;
  }

  /** The next two calls must overlap in time, or both fail. */
  public void expectTwoAtOnce() {
    meeting = new CyclicBarrier(2);
  }

  @Override
  public Pcm synthesize(String text, Voice voice, SpeechSettings settings) {
    calls.incrementAndGet();
    CyclicBarrier barrier = meeting;
    if (barrier != null) {
      try {
        barrier.await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("two chunks were not synthesized at the same time", e);
      } finally {
        meeting = null;
      }
    }
    Matcher m = NUMBER.matcher(text);
    // a chunk without a number is marked as 1: all silence would fail the job (nothing to speak)
    int number = m.find() ? Integer.parseInt(m.group()) : 1;
    int tone = 10 * number;
    ByteBuffer b = ByteBuffer.allocate((tone + GAP) * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < tone; i++) {
      b.putShort((short) (i % 2 == 0 ? 8000 : -8000));
    }
    return new Pcm(b.array(), SAMPLE_RATE);
  }
}
