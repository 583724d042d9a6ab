package dev.ttsapi.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.jaredmdobson.concentus.OpusDecoder;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.gagravarr.opus.OpusAudioData;
import org.gagravarr.opus.OpusFile;
import org.junit.jupiter.api.Test;

/** Ogg Opus and raw PCM output, resampling and loudness of joined chunks. */
class FormatsAndLevelsTest {

  @Test
  void ogg_opus_decodes_back_to_the_same_duration() throws Exception {
    for (int rate : new int[] {22050, 24000, 48000}) {
      Pcm tone = tone(440, 1.5, rate, 8000);
      byte[] ogg = encode(AudioFormat.OGG, tone);

      OpusFile file = new OpusFile(new org.gagravarr.ogg.OggFile(new ByteArrayInputStream(ogg)));
      assertThat(file.getInfo().getNumChannels()).isEqualTo(1);
      assertThat(file.getInfo().getRate()).isEqualTo(rate);
      OpusDecoder decoder = new OpusDecoder(48000, 1);
      short[] frame = new short[5760];
      long decoded = 0;
      long lastGranule = 0;
      for (OpusAudioData packet = file.getNextAudioPacket();
          packet != null;
          packet = file.getNextAudioPacket()) {
        byte[] data = packet.getData();
        decoded += decoder.decode(data, 0, data.length, frame, 0, frame.length, false);
        lastGranule = Math.max(lastGranule, packet.getGranulePosition());
      }
      assertThat(decoded / 48000.0).as("decoded at %d Hz", rate).isCloseTo(1.5, within(0.03));
      assertThat(lastGranule / 48000.0).isCloseTo(1.5, within(0.03));
    }
  }

  @Test
  void mp3_of_audio_shorter_than_one_frame_still_encodes() throws Exception {
    // Tests run with assertions on, so LAME's own assert on a too-short stream would show here.
    for (int samples : new int[] {0, 20, 1151}) {
      Pcm tiny = new Pcm(new byte[samples * 2], 16000);
      byte[] mp3 = encode(AudioFormat.MP3, tiny);
      assertThat(mp3.length).as("%d samples", samples).isGreaterThan(0);
    }
  }

  @Test
  void pcm_is_the_samples_as_they_are() throws Exception {
    Pcm tone = tone(300, 0.2, 16000, 5000);
    assertThat(encode(AudioFormat.PCM, tone)).isEqualTo(tone.samples());
  }

  @Test
  void resampling_keeps_duration_and_pitch() {
    Pcm tone = tone(1000, 1.0, 48000, 8000);

    Pcm down = Resampler.resample(tone, 22050);
    Pcm up = Resampler.resample(down, 48000);

    assertThat(down.sampleRate()).isEqualTo(22050);
    assertThat(down.durationSeconds()).isCloseTo(1.0, within(0.01));
    assertThat(zeroCrossingsPerSecond(down)).isCloseTo(2000, within(40.0));
    assertThat(up.durationSeconds()).isCloseTo(1.0, within(0.01));
    assertThat(zeroCrossingsPerSecond(up)).isCloseTo(2000, within(40.0));
  }

  @Test
  void chunks_spoken_loud_and_soft_end_up_equally_loud() {
    Pcm soft = tone(200, 0.5, 16000, 2000);
    Pcm loud = tone(200, 0.5, 16000, 25000);
    assertThat(Loudness.levelDbfs(loud) - Loudness.levelDbfs(soft)).isGreaterThan(20);

    double softLevel = Loudness.levelDbfs(Loudness.normalize(soft));
    double loudLevel = Loudness.levelDbfs(Loudness.normalize(loud));

    assertThat(softLevel).isCloseTo(Loudness.TARGET_DBFS, within(1.0));
    assertThat(loudLevel).isCloseTo(Loudness.TARGET_DBFS, within(1.0));
  }

  @Test
  void a_whispered_chunk_is_raised_by_the_largest_gain_sample_for_sample() {
    // -47 dBFS wants 23 times louder; the gain stops at 8, and 8 × an integer needs no rounding
    Pcm whisper = tone(200, 0.5, 16000, 200);

    short[] in = PcmAnalysis.samples(whisper);
    short[] out = PcmAnalysis.samples(Loudness.normalize(whisper));

    assertThat(out).hasSameSizeAs(in);
    for (int i = 0; i < in.length; i++) {
      assertThat(out[i]).as("sample %d", i).isEqualTo((short) (in[i] * 8));
    }
  }

  @Test
  void a_lone_click_in_a_quiet_chunk_is_not_pushed_past_minus_one_dbfs() {
    Pcm quiet = tone(200, 0.5, 16000, 300);
    byte[] samples = quiet.samples().clone();
    ByteBuffer.wrap(samples).order(ByteOrder.LITTLE_ENDIAN).putShort(4000, (short) -30000);

    short[] out = PcmAnalysis.samples(Loudness.normalize(new Pcm(samples, 16000)));

    // the click bounds the gain (below 1 here): it comes out at the limit, neither clipped nor
    // wrapped
    int limit = (int) Math.round(0.89 * Short.MAX_VALUE);
    assertThat(out[2000]).isBetween((short) -limit, (short) (-limit + 1));
    for (short v : out) {
      assertThat(Math.abs(v)).isLessThanOrEqualTo(limit);
    }
  }

  @Test
  void silence_is_left_silent() {
    Pcm silence = new Pcm(new byte[3200], 16000);
    assertThat(Loudness.normalize(silence).samples()).isEqualTo(silence.samples());
  }

  private static byte[] encode(AudioFormat format, Pcm pcm) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    ChunkEncoder.encode(
        format,
        new java.io.ByteArrayInputStream(pcm.samples()),
        pcm.samples().length,
        pcm.sampleRate(),
        out);
    return out.toByteArray();
  }

  static Pcm tone(double hz, double seconds, int rate, int amplitude) {
    int n = (int) (seconds * rate);
    ByteBuffer b = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      b.putShort((short) (amplitude * Math.sin(2 * Math.PI * hz * i / rate)));
    }
    return new Pcm(b.array(), rate);
  }

  private static double zeroCrossingsPerSecond(Pcm pcm) {
    ByteBuffer b = ByteBuffer.wrap(pcm.samples()).order(ByteOrder.LITTLE_ENDIAN);
    int crossings = 0;
    short previous = b.getShort();
    while (b.remaining() >= 2) {
      short s = b.getShort();
      if ((previous < 0) != (s < 0)) {
        crossings++;
      }
      previous = s;
    }
    return crossings / pcm.durationSeconds();
  }
}
