package dev.ttsapi.engine.mary;

/** One {@link MaryEngine} per test JVM: starting MaryTTS takes seconds. */
public final class SharedMaryEngine {

  private SharedMaryEngine() {}

  private static final class Holder {
    static final MaryEngine ENGINE = new MaryEngine();
  }

  public static MaryEngine get() {
    return Holder.ENGINE;
  }
}
