package dev.ttsapi.audio;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The samples as they are: 16-bit little-endian mono at the request's sample rate, no header. */
public final class RawPcmEncoder implements AudioEncoder {

  @Override
  public AudioFormat format() {
    return AudioFormat.PCM;
  }

  @Override
  public void encode(InputStream pcm, long pcmBytes, int sampleRate, OutputStream out)
      throws IOException {
    long copied = pcm.transferTo(out);
    if (copied != pcmBytes) {
      throw new IOException("expected " + pcmBytes + " bytes of PCM, got " + copied);
    }
  }
}
