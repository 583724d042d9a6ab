package dev.ttsapi.engine;

/**
 * What one synthesis call costs, in the units engines bill by. Reports of the chunks of one request
 * add up with {@link #plus}.
 *
 * @param characters Unicode code points of the text sent
 * @param inputTokens tokens the engine counted for the input (Gemini's {@code promptTokenCount}); 0
 *     for engines that do not count tokens
 * @param outputTokens tokens of the produced audio (Gemini's {@code candidatesTokenCount}); 0 for
 *     engines that do not count tokens
 */
public record SynthesisUsage(long characters, long inputTokens, long outputTokens) {

  public static final SynthesisUsage NONE = new SynthesisUsage(0, 0, 0);

  public SynthesisUsage {
    if (characters < 0 || inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException("usage cannot be negative");
    }
  }

  /** The usage of an engine billed by characters. */
  public static SynthesisUsage ofCharacters(String text) {
    return new SynthesisUsage(text == null ? 0 : text.codePointCount(0, text.length()), 0, 0);
  }

  public SynthesisUsage plus(SynthesisUsage other) {
    return new SynthesisUsage(
        characters + other.characters,
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens);
  }

  public long totalTokens() {
    return inputTokens + outputTokens;
  }
}
