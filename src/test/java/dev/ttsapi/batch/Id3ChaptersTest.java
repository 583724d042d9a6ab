package dev.ttsapi.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The chapter tag against an independent reader (ffprobe) on MP3s built here from silent frames:
 * more chapters than one table of contents can list (255) come out whole and in order, and the
 * frame walk finds the audio behind a tag.
 */
class Id3ChaptersTest {

  /** A silent MPEG-2 Layer III frame: 64 kbit/s, 16 kHz, mono; 576 samples, 36 ms. */
  private static final byte[] SILENT_FRAME = silentFrame();

  @Test
  void ffprobe_reads_every_chapter_in_order_past_one_table_of_contents() throws Exception {
    Assumptions.assumeTrue(FfProbe.installed(), "needs ffprobe (Debian package ffmpeg)");
    int count = 600;
    List<Id3Chapters.Chapter> chapters =
        IntStream.range(0, count)
            .mapToObj(
                i -> new Id3Chapters.Chapter("Chapter " + (i + 1) + " é", i * 36L, (i + 1) * 36L))
            .toList();
    ByteArrayOutputStream mp3 = new ByteArrayOutputStream();
    mp3.writeBytes(Id3Chapters.tag("A long book", chapters));
    for (int i = 0; i < count; i++) {
      mp3.writeBytes(SILENT_FRAME);
    }
    Path file = Files.createTempFile("chapters", ".mp3");
    try {
      Files.write(file, mp3.toByteArray());
      JsonNode probe = FfProbe.chaptersAndFormat(file);
      List<JsonNode> read = probe.path("chapters").valueStream().toList();
      assertThat(read).hasSize(count);
      for (int i = 0; i < count; i++) {
        assertThat(read.get(i).path("tags").path("title").asString())
            .isEqualTo("Chapter " + (i + 1) + " é");
        assertThat(read.get(i).path("start_time").asDouble()).isCloseTo(i * 0.036, within(1e-9));
      }
      assertThat(probe.path("format").path("tags").path("title").asString())
          .isEqualTo("A long book");
      assertThat(probe.path("format").path("duration").asDouble())
          .isCloseTo(count * 0.036, within(0.05));
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void the_frame_walk_skips_a_tag_and_stops_at_what_is_not_a_frame() throws Exception {
    ByteArrayOutputStream mp3 = new ByteArrayOutputStream();
    byte[] tag = Id3Chapters.tag("t", List.of(new Id3Chapters.Chapter("c", 0, 108)));
    mp3.writeBytes(tag);
    for (int i = 0; i < 3; i++) {
      mp3.writeBytes(SILENT_FRAME);
    }
    mp3.writeBytes("TAG".getBytes()); // an ID3v1 tag begins
    mp3.writeBytes(new byte[125]);

    Mp3Scan scan = Mp3Scan.of(new ByteArrayInputStream(mp3.toByteArray()));
    assertThat(scan.skip()).isEqualTo(tag.length);
    assertThat(scan.length()).isEqualTo(3L * SILENT_FRAME.length);
    assertThat(scan.samples()).isEqualTo(3 * 576);
    assertThat(scan.sampleRate()).isEqualTo(16000);
  }

  private static byte[] silentFrame() {
    byte[] frame = new byte[288]; // 72 * 64000 / 16000
    frame[0] = (byte) 0xFF;
    frame[1] = (byte) 0xF3; // MPEG-2, Layer III, no CRC
    frame[2] = (byte) 0x88; // 64 kbit/s, 16 kHz, no padding
    frame[3] = (byte) 0xC4; // mono
    return frame;
  }
}
