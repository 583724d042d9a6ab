package dev.ttsapi.audio;

import java.io.IOException;
import java.io.OutputStream;

/** Writes encoded audio into the stream an {@link AudioStore} hands it; must not close it. */
@FunctionalInterface
public interface AudioWriter {

  void writeTo(OutputStream out) throws IOException;
}
