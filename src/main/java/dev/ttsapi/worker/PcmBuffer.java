package dev.ttsapi.worker;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The joined PCM of one job, between the engine and the encoder: in memory while it is short (a
 * sentence or a paragraph, most jobs), in a temporary file once it passes {@code memoryLimit}, so a
 * long document never sits whole in memory. A short job then costs no file created, written, read
 * back and deleted. Written once, then read once; closing deletes the file, if any.
 */
final class PcmBuffer extends OutputStream {

  private final String filePrefix;
  private final int memoryLimit;
  private byte[] memory = new byte[16 * 1024];
  private int inMemory;
  private Path file;
  private OutputStream fileOut;
  private long size;

  PcmBuffer(String filePrefix, int memoryLimit) {
    this.filePrefix = filePrefix;
    this.memoryLimit = memoryLimit;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    if (file == null && inMemory + length > memoryLimit) {
      spill();
    }
    if (file != null) {
      fileOut.write(bytes, offset, length);
    } else {
      if (inMemory + length > memory.length) {
        memory =
            Arrays.copyOf(
                memory, Math.min(memoryLimit, Math.max(2 * memory.length, inMemory + length)));
      }
      System.arraycopy(bytes, offset, memory, inMemory, length);
      inMemory += length;
    }
    size += length;
  }

  /** Bytes written so far. */
  long size() {
    return size;
  }

  /** Whether the PCM went to a temporary file (it passed the memory limit). */
  boolean spilled() {
    return file != null;
  }

  /** Everything written, from the start; call once writing is done. */
  InputStream read() throws IOException {
    if (file == null) {
      return new ByteArrayInputStream(memory, 0, inMemory);
    }
    fileOut.close();
    return Files.newInputStream(file);
  }

  /** Frees the memory and deletes the temporary file, if any. */
  @Override
  public void close() throws IOException {
    memory = null;
    if (file != null) {
      try {
        fileOut.close();
      } finally {
        Files.deleteIfExists(file);
      }
    }
  }

  private void spill() throws IOException {
    Path created = Files.createTempFile(filePrefix, ".pcm");
    try {
      fileOut = new BufferedOutputStream(Files.newOutputStream(created));
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(created);
      throw e;
    }
    file = created;
    fileOut.write(memory, 0, inMemory);
    memory = null;
    inMemory = 0;
  }
}
