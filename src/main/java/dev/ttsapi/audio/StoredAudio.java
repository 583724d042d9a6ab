package dev.ttsapi.audio;

import java.io.IOException;
import java.io.InputStream;
import org.springframework.core.io.Resource;

/**
 * One encoded audio object in an {@link AudioStore}.
 *
 * @param key the content key it is stored under
 * @param format its encoding, which also gives the content type
 * @param size its length in bytes
 * @param resource the bytes, readable as often as needed; a controller can answer HTTP Range
 *     requests from it
 */
public record StoredAudio(String key, AudioFormat format, long size, Resource resource) {

  /** A fresh stream over the whole object; the caller closes it. */
  public InputStream open() throws IOException {
    return resource.getInputStream();
  }
}
