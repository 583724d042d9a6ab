package dev.ttsapi.batch;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.audio.AudioStore;
import dev.ttsapi.audio.StoredAudio;
import dev.ttsapi.batch.BatchService.Contents;
import dev.ttsapi.request.RequestStatus;
import dev.ttsapi.request.TtsRequest;
import dev.ttsapi.web.Problem;
import dev.ttsapi.web.ProblemType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.stereotype.Component;

/**
 * A batch's audio as one download, once the batch has ended: a zip of each completed item's file
 * (named by its client id, else its 1-based index), or the items joined into one file in order (MP3
 * with ID3v2 chapters, WAV, or raw PCM) with a cue sheet describing the same file. Items that did
 * not complete are left out. Everything is streamed from the audio store, item by item; joining
 * MP3s reads each item twice (once to find its frames and length, so the chapters can be written
 * before the audio, once to copy it).
 */
@Component
class BatchAudio {

  private static final int CUE_FRAMES_PER_SECOND = 75;

  private final AudioStore store;

  BatchAudio(AudioStore store) {
    this.store = store;
  }

  /** One completed item's audio and where it sits in a joined file. */
  record Part(
      String name,
      String title,
      StoredAudio audio,
      long skip,
      long length,
      long startMs,
      long endMs) {}

  /** The joined file's parts, in order, and its format. */
  record Joined(AudioFormat format, int sampleRate, List<Part> parts) {
    long audioBytes() {
      return parts.stream().mapToLong(Part::length).sum();
    }
  }

  /** The completed items' audio, in order, each opened in the store. */
  List<Part> completed(Contents contents) {
    if (contents.batch().endedAt() == null) {
      throw new Problem(
              ProblemType.CONFLICT,
              "The batch is still running; its audio can be downloaded once every item has ended")
          .with("batch_status", "running");
    }
    List<Part> parts = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (BatchRepository.Item item : contents.items()) {
      TtsRequest request = contents.requests().get(item.requestId());
      if (request == null || request.status() != RequestStatus.COMPLETED) {
        continue;
      }
      StoredAudio audio = store.find(request.contentKey()).orElse(null);
      if (audio == null) {
        continue; // gone from the store (retention): nothing to add
      }
      String base =
          item.clientId() != null
              ? item.clientId()
              : String.format(Locale.ROOT, "%04d", item.position() + 1);
      String name = base + "." + audio.format().extension();
      if (!names.add(name)) {
        name = base + "-" + (item.position() + 1) + "." + audio.format().extension();
        names.add(name);
      }
      String title = item.clientId() != null ? item.clientId() : "Item " + (item.position() + 1);
      parts.add(new Part(name, title, audio, 0, audio.size(), 0, 0));
    }
    if (parts.isEmpty()) {
      throw new Problem(ProblemType.CONFLICT, "No item of this batch completed: there is no audio")
          .with("batch_status", "ended");
    }
    return parts;
  }

  void zip(List<Part> parts, OutputStream out) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
    // Speech is already as small as its format makes it; deflating it again costs CPU for little.
    zip.setLevel(Deflater.NO_COMPRESSION);
    for (Part part : parts) {
      zip.putNextEntry(new ZipEntry(part.name()));
      try (InputStream in = part.audio().open()) {
        in.transferTo(zip);
      }
      zip.closeEntry();
    }
    zip.finish();
  }

  /**
   * Where each part's audio lies and when it plays in the joined file.
   *
   * @throws Problem a 409 {@code batch-not-concatenable} when the items differ in format or sample
   *     rate, or are Ogg (whose streams are not joined here)
   */
  Joined join(List<Part> parts, Contents contents) throws IOException {
    AudioFormat format = parts.getFirst().audio().format();
    if (parts.stream().anyMatch(p -> p.audio().format() != format)) {
      throw notJoinable("its items are in different formats; ask for a zip instead");
    }
    if (format == AudioFormat.OGG) {
      throw notJoinable("Ogg Opus items are not joined; ask for a zip, or submit mp3 or wav");
    }
    List<Part> placed = new ArrayList<>(parts.size());
    long samples = 0;
    int sampleRate = 0;
    for (Part part : parts) {
      Layout layout = layout(part.audio(), format, sampleRateOf(part, contents));
      if (sampleRate != 0 && layout.sampleRate() != sampleRate) {
        throw notJoinable("its items have different sample rates; ask for a zip instead");
      }
      sampleRate = layout.sampleRate();
      long start = samples * 1000 / sampleRate;
      samples += layout.samples();
      placed.add(
          new Part(
              part.name(),
              part.title(),
              part.audio(),
              layout.skip(),
              layout.length(),
              start,
              samples * 1000 / sampleRate));
    }
    return new Joined(format, sampleRate, placed);
  }

  /** The joined file's bytes before the audio: ID3 chapters for MP3, the header for WAV. */
  byte[] head(Joined joined, String title) {
    return switch (joined.format()) {
      case MP3 ->
          Id3Chapters.tag(
              title,
              joined.parts().stream()
                  .map(p -> new Id3Chapters.Chapter(p.title(), p.startMs(), p.endMs()))
                  .toList());
      case WAV -> wavHeader(joined.audioBytes(), joined.sampleRate());
      default -> new byte[0];
    };
  }

  void writeJoined(Joined joined, byte[] head, OutputStream out) throws IOException {
    out.write(head);
    for (Part part : joined.parts()) {
      try (InputStream in = part.audio().open(part.skip(), part.length())) {
        in.transferTo(out);
      }
    }
  }

  /** A cue sheet of the joined file: one track per item, at its start (75 frames a second). */
  String cueSheet(Joined joined, String title, String fileName) {
    StringBuilder cue = new StringBuilder();
    cue.append("REM GENERATOR \"tts-api\"\n");
    cue.append("TITLE \"").append(quoted(title)).append("\"\n");
    String type = joined.format() == AudioFormat.MP3 ? "MP3" : "WAVE";
    cue.append("FILE \"").append(quoted(fileName)).append("\" ").append(type).append('\n');
    int track = 1;
    for (Part part : joined.parts()) {
      long frames = part.startMs() * CUE_FRAMES_PER_SECOND / 1000;
      cue.append(String.format(Locale.ROOT, "  TRACK %02d AUDIO\n", track++));
      cue.append("    TITLE \"").append(quoted(part.title())).append("\"\n");
      cue.append(
          String.format(
              Locale.ROOT,
              "    INDEX 01 %02d:%02d:%02d\n",
              frames / (60 * CUE_FRAMES_PER_SECOND),
              frames / CUE_FRAMES_PER_SECOND % 60,
              frames % CUE_FRAMES_PER_SECOND));
    }
    return cue.toString();
  }

  private record Layout(long skip, long length, long samples, int sampleRate) {}

  private static Layout layout(StoredAudio audio, AudioFormat format, int sampleRate)
      throws IOException {
    return switch (format) {
      case MP3 -> {
        try (InputStream in = audio.open()) {
          Mp3Scan scan = Mp3Scan.of(in);
          yield new Layout(scan.skip(), scan.length(), scan.samples(), scan.sampleRate());
        }
      }
      case WAV -> wavLayout(audio);
      case PCM -> new Layout(0, audio.size() & ~1L, audio.size() / 2, sampleRate);
      case OGG -> throw new IllegalStateException("Ogg is not joined");
    };
  }

  /** The data chunk of a 16-bit mono WAV (its size may be a streaming writer's maximum). */
  private static Layout wavLayout(StoredAudio audio) throws IOException {
    byte[] head;
    try (InputStream in = audio.open(0, Math.min(audio.size(), 4096))) {
      head = in.readAllBytes();
    }
    ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
    int sampleRate = 0;
    int position = 12;
    while (position + 8 <= head.length) {
      String id = new String(head, position, 4, StandardCharsets.ISO_8859_1);
      long size = Integer.toUnsignedLong(b.getInt(position + 4));
      if (id.equals("fmt ")) {
        sampleRate = b.getInt(position + 12);
      } else if (id.equals("data")) {
        long start = position + 8;
        long length = Math.min(size, audio.size() - start) & ~1L;
        return new Layout(start, length, length / 2, sampleRate);
      }
      position += 8 + (int) size + (int) (size & 1);
    }
    throw new IOException("stored WAV " + audio.key() + " has no data chunk in its first 4 KB");
  }

  private static int sampleRateOf(Part part, Contents contents) {
    return contents.requests().values().stream()
        .filter(r -> r.contentKey().equals(part.audio().key()))
        .mapToInt(TtsRequest::sampleRate)
        .findFirst()
        .orElseThrow();
  }

  /** The canonical 44-byte header of 16-bit mono PCM. */
  private static byte[] wavHeader(long pcmBytes, int sampleRate) {
    if (pcmBytes > 0xFFFF_FFFFL - 36) {
      throw notJoinable(
          "joined, its items would be longer than a WAV file can hold; ask for a zip");
    }
    ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) (36 + pcmBytes));
    b.put(new byte[] {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '}).putInt(16);
    b.putShort((short) 1).putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2);
    b.putShort((short) 2).putShort((short) 16);
    b.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) pcmBytes);
    return b.array();
  }

  private static Problem notJoinable(String why) {
    return new Problem(ProblemType.BATCH_NOT_CONCATENABLE, "This batch cannot be joined: " + why);
  }

  private static String quoted(String value) {
    return value.replace("\"", "'");
  }
}
