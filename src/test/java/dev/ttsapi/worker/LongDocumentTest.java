package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.request.Completion;
import dev.ttsapi.request.RequestIds;
import dev.ttsapi.request.RequestStatus;
import dev.ttsapi.request.TtsRequest;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.MarkerEngine;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A document many chunks long: split, synthesized side by side, joined in order. */
class LongDocumentTest extends IntegrationTest {

  @Autowired SynthesisPipeline pipeline;
  @Autowired MarkerEngine marker;
  @Autowired AudioStore store;

  @Test
  void a_20000_character_document_is_split_synthesized_in_parallel_and_joined_in_order()
      throws Exception {
    String text =
        IntStream.rangeClosed(1, 800)
            .mapToObj(i -> "Part " + i + " of the document.")
            .collect(Collectors.joining(" "));
    text = text + " " + "x".repeat(Math.max(0, 20_000 - text.length() - 1));
    assertThat(text).hasSizeGreaterThanOrEqualTo(20_000);
    List<Double> progress = new ArrayList<>();
    marker.expectTwoAtOnce();

    TtsRequest request = request(text, AudioFormat.PCM);
    Completion result = pipeline.run(request, progress::add);

    byte[] pcm = store.find(request.contentKey()).orElseThrow().open().readAllBytes();
    List<Integer> tones = toneLengths(pcm);
    assertThat(tones).hasSizeGreaterThan(100);
    assertThat(tones).isSorted().doesNotHaveDuplicates();
    assertThat(tones.getFirst()).isEqualTo(10 * 1);
    assertThat(progress).hasSizeGreaterThanOrEqualTo(tones.size()).isSorted();
    assertThat(progress.getLast()).isGreaterThan(0.9);
    assertThat(result.durationMs()).isEqualTo(pcm.length / 2 * 1000L / MarkerEngine.SAMPLE_RATE);
    assertThat(result.usage().characters())
        .as("every chunk billed once: the text less the spaces where it was cut")
        .isBetween((long) text.length() - tones.size(), (long) text.length());
  }

  /** The length of each run of non-silent samples, in order. */
  private static List<Integer> toneLengths(byte[] pcm) {
    ByteBuffer b = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
    List<Integer> runs = new ArrayList<>();
    int run = 0;
    while (b.remaining() >= 2) {
      if (b.getShort() != 0) {
        run++;
      } else if (run > 0) {
        runs.add(run);
        run = 0;
      }
    }
    if (run > 0) {
      runs.add(run);
    }
    return runs;
  }

  private TtsRequest request(String text, AudioFormat format) {
    UUID id = new RequestIds(Clock.systemUTC()).next();
    byte[] key = new byte[32];
    ThreadLocalRandom.current().nextBytes(key);
    String contentKey = HexFormat.of().formatHex(key);
    return new TtsRequest(
        id,
        RequestIds.createdAt(id),
        UUID.randomUUID(),
        RequestStatus.PROCESSING,
        Priority.NORMAL,
        new TtsRequest.Speech(
            text,
            "en",
            null,
            MarkerEngine.VOICE,
            1.0,
            0.0,
            format,
            MarkerEngine.SAMPLE_RATE,
            contentKey),
        new TtsRequest.Outcome(
            false, 1, 0.0, null, null, null, null, null, RequestIds.createdAt(id)));
  }
}
