package dev.ttsapi.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class WavDecoderTest {

  @Test
  void reads_to_the_end_when_the_header_has_placeholder_sizes() {
    // what espeak-ng --stdout writes: sizes of 0x7FFFF000 because it cannot seek back
    byte[] header = WavChunks.header(0, 22050);
    ByteBuffer.wrap(header)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putInt(4, 0x7FFFF024)
        .putInt(40, 0x7FFFF000);
    byte[] wav = new byte[header.length + 6];
    System.arraycopy(header, 0, wav, 0, header.length);
    wav[44] = 1;
    wav[46] = 2;
    wav[48] = 3;

    Pcm pcm = WavDecoder.decode(wav);

    assertThat(pcm.sampleRate()).isEqualTo(22050);
    assertThat(pcm.samples()).containsExactly(1, 0, 2, 0, 3, 0);
  }

  @Test
  void rejects_what_is_not_wav() {
    assertThatThrownBy(() -> WavDecoder.decode("hello world, not audio".getBytes()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
