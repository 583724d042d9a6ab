package dev.ttsapi.audio;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes encoded audio into the stream an {@link AudioStore} hands it. Closing that stream is
 * allowed and changes nothing: the store finishes the object only once {@code writeTo} returns.
 */
@FunctionalInterface
public interface AudioWriter {

  void writeTo(OutputStream out) throws IOException;
}
