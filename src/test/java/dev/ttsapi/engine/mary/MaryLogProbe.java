package dev.ttsapi.engine.mary;

import dev.ttsapi.engine.SpeechSettings;

/**
 * Run in a fresh JVM by {@link MaryEngineTest}: starts MaryTTS and speaks once, in whatever cwd.
 */
public final class MaryLogProbe {

  public static void main(String[] args) {
    MaryEngine engine = new MaryEngine();
    var pcm = engine.synthesize("Hi.", engine.voices().getFirst(), SpeechSettings.NORMAL);
    System.out.println("samples=" + pcm.sampleCount());
    System.exit(0);
  }
}
