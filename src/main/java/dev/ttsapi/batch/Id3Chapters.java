package dev.ttsapi.batch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An ID3v2.4 tag with chapters, per the ID3v2 Chapter Frame Addendum: a {@code CHAP} frame per
 * chapter (start and end time in milliseconds, byte offsets left to the times, a {@code TIT2} title
 * inside) and a top-level, ordered {@code CTOC} table of contents listing them. A CTOC lists at
 * most 255 entries (its count is one byte), so more chapters are grouped under child CTOCs of 255
 * each, listed in order by the top-level one. Players and ffprobe read the chapters from it; the
 * MP3 frames follow the tag.
 */
final class Id3Chapters {

  /** One chapter: a title and where it plays. */
  record Chapter(String title, long startMs, long endMs) {}

  private static final int MAX_ENTRIES = 255;
  private static final byte UTF_8 = 3;

  private Id3Chapters() {}

  static byte[] tag(String title, List<Chapter> chapters) {
    ByteArrayOutputStream frames = new ByteArrayOutputStream();
    frame(frames, "TIT2", text(title));
    List<String> chapterIds = new ArrayList<>();
    for (int i = 0; i < chapters.size(); i++) {
      chapterIds.add("chp" + (i + 1));
    }
    if (chapters.size() <= MAX_ENTRIES) {
      frame(frames, "CTOC", toc("toc", true, chapterIds));
    } else {
      List<String> groups = new ArrayList<>();
      for (int from = 0; from < chapterIds.size(); from += MAX_ENTRIES) {
        groups.add("toc" + (groups.size() + 1));
      }
      frame(frames, "CTOC", toc("toc", true, groups));
      for (int g = 0; g < groups.size(); g++) {
        int from = g * MAX_ENTRIES;
        List<String> children =
            chapterIds.subList(from, Math.min(chapterIds.size(), from + MAX_ENTRIES));
        frame(frames, "CTOC", toc(groups.get(g), false, children));
      }
    }
    for (int i = 0; i < chapters.size(); i++) {
      frame(frames, "CHAP", chapter(chapterIds.get(i), chapters.get(i)));
    }
    byte[] body = frames.toByteArray();
    ByteArrayOutputStream tag = new ByteArrayOutputStream();
    tag.writeBytes(new byte[] {'I', 'D', '3', 4, 0, 0}); // v2.4.0, no flags
    tag.writeBytes(syncsafe(body.length));
    tag.writeBytes(body);
    return tag.toByteArray();
  }

  private static byte[] toc(String id, boolean topLevel, List<String> children) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(terminated(id));
    b.write((topLevel ? 0x02 : 0x00) | 0x01); // top-level flag, ordered flag
    b.write(children.size());
    children.forEach(child -> b.writeBytes(terminated(child)));
    return b.toByteArray();
  }

  private static byte[] chapter(String id, Chapter chapter) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(terminated(id));
    b.writeBytes(int32(chapter.startMs()));
    b.writeBytes(int32(chapter.endMs()));
    b.writeBytes(int32(0xFFFFFFFFL)); // start offset: use the time
    b.writeBytes(int32(0xFFFFFFFFL)); // end offset: use the time
    frame(b, "TIT2", text(chapter.title()));
    return b.toByteArray();
  }

  /** A frame: id, size (syncsafe in v2.4), no flags, body. */
  private static void frame(ByteArrayOutputStream out, String id, byte[] body) {
    out.writeBytes(id.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(syncsafe(body.length));
    out.write(0);
    out.write(0);
    out.writeBytes(body);
  }

  private static byte[] text(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[utf8.length + 1];
    body[0] = UTF_8;
    System.arraycopy(utf8, 0, body, 1, utf8.length);
    return body;
  }

  private static byte[] terminated(String id) {
    byte[] latin = id.getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = new byte[latin.length + 1];
    System.arraycopy(latin, 0, out, 0, latin.length);
    return out;
  }

  private static byte[] int32(long value) {
    return new byte[] {
      (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
    };
  }

  private static byte[] syncsafe(int size) {
    if (size >= 1 << 28) {
      throw new IllegalArgumentException("an ID3v2 tag holds less than 256 MB");
    }
    return new byte[] {
      (byte) ((size >>> 21) & 0x7F),
      (byte) ((size >>> 14) & 0x7F),
      (byte) ((size >>> 7) & 0x7F),
      (byte) (size & 0x7F)
    };
  }
}
