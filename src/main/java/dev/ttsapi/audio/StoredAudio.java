package dev.ttsapi.audio;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One encoded audio object in an {@link AudioStore}.
 *
 * @param key the content key it is stored under
 * @param format its encoding, which also gives the content type
 * @param size its length in bytes
 * @param reader how its store reads it
 */
public record StoredAudio(String key, AudioFormat format, long size, Reader reader) {

  /** Reads an object's bytes the store's own way: a file from a position, a ranged GET. */
  public interface Reader {

    /** A stream over {@code length} bytes from {@code offset}, both within the object. */
    InputStream open(long offset, long length) throws IOException;

    /**
     * A URL a client may fetch the object from itself for a while, when the store hands such URLs
     * out (an object store set to redirect downloads); empty otherwise.
     */
    default Optional<URI> downloadUrl(String fileName) {
      return Optional.empty();
    }
  }

  public StoredAudio {
    Objects.requireNonNull(key);
    Objects.requireNonNull(format);
    Objects.requireNonNull(reader);
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative: " + size);
    }
  }

  /** A fresh stream over the whole object; the caller closes it. */
  public InputStream open() throws IOException {
    return open(0, size);
  }

  /**
   * A fresh stream over up to {@code length} bytes from {@code offset}, read from the store itself
   * (a file read from that position, a ranged GET), so serving a range never reads what comes
   * before it. A range that runs past the end stops at the last byte; one that starts at the end is
   * empty. The caller closes the stream.
   *
   * @throws IllegalArgumentException when {@code offset} lies past the end, or either is negative
   */
  public InputStream open(long offset, long length) throws IOException {
    if (offset < 0 || length < 0 || offset > size) {
      throw new IllegalArgumentException(
          "range from " + offset + " for " + length + " bytes is outside " + size + " bytes");
    }
    long available = Math.min(length, size - offset);
    if (available == 0) {
      return InputStream.nullInputStream();
    }
    return reader.open(offset, available);
  }

  /**
   * A short-lived URL the client can download the object from directly, when the store is set to
   * hand them out; {@code fileName} is the name the client should save it under.
   */
  public Optional<URI> downloadUrl(String fileName) {
    return reader.downloadUrl(fileName);
  }
}
