package dev.ttsapi.audio;

import java.io.IOException;
import java.util.Optional;

/**
 * Where encoded audio lives, addressed by content key: the hex SHA-256 of everything that decides
 * the sound (engine, voice, settings, format, normalized text). The same key always names the same
 * bytes, so writing a key twice is harmless and readers never see a half-written object.
 *
 * <p>This is the seam between the service and its storage: {@link FileSystemAudioStore} for one
 * machine (the embedded default, {@code ./data/audio}), {@link S3AudioStore} for any S3-compatible
 * object store shared by many nodes. Every implementation passes the same contract tests
 * (AudioStoreContract) and is safe for concurrent use.
 *
 * <p>A store that cannot be reached, or fails on its side, throws {@link
 * AudioStoreUnavailableException} from any method: callers wait and try again rather than blame the
 * job or the client.
 */
public interface AudioStore {

  /**
   * The object stored under {@code key}, if any.
   *
   * @throws IllegalArgumentException when {@code key} is not a hex string
   */
  Optional<StoredAudio> find(String key);

  /**
   * Whether the object under {@code key} in {@code format} is stored, if this machine can tell
   * cheaply enough to ask on every submit before the index is read (a file system: one stat); false
   * when it cannot (an object store's answer is a network round trip: it is asked, with {@link
   * #find}, only for audio the index lists).
   *
   * @throws IllegalArgumentException when {@code key} is not a hex string
   */
  default boolean holdsLocally(String key, AudioFormat format) {
    return false;
  }

  /**
   * Stores the audio {@code writer} produces under {@code key}. The object becomes visible only
   * once complete (written aside then moved into place, or an object store's single PUT or
   * completed multipart upload), and is never held whole in memory. If the key is already stored,
   * the existing object is kept and returned, and {@code writer} may not be called at all.
   * Concurrent puts of one key leave one complete object.
   *
   * @throws IOException when the writer or the storage fails; nothing is stored then
   * @throws IllegalArgumentException when {@code key} is not a hex string
   */
  StoredAudio put(String key, AudioFormat format, AudioWriter writer) throws IOException;

  /**
   * Removes the object under {@code key}.
   *
   * @return whether there was one
   * @throws IllegalArgumentException when {@code key} is not a hex string
   */
  boolean delete(String key);

  /**
   * Returns when the store answers and can be written, cheaply (readiness asks every few seconds).
   *
   * @throws AudioStoreUnavailableException when it cannot be used now
   */
  void checkReachable();
}
