package dev.ttsapi.ssml;

import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a request's SSML got from the engine that speaks it: the features honoured, those dropped
 * and why, and (once the audio is made) where each {@code <mark>} fell in it. Kept with the request
 * as JSON ({@link #toJson}); {@code marks} are what a timings table takes as units of kind {@code
 * mark}.
 */
public record SsmlReport(List<String> honoured, List<Dropped> dropped, List<MarkTime> marks) {

  private static final JsonMapper JSON =
      JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

  public SsmlReport {
    honoured = List.copyOf(honoured);
    dropped = List.copyOf(dropped);
    marks = marks == null ? null : List.copyOf(marks);
  }

  /** A feature the engine cannot do, and what happened instead. */
  public record Dropped(String feature, String reason) {}

  /** A mark and the time it falls at in the audio, from its start. */
  public record MarkTime(String name, long timeMs) {}

  public SsmlReport withMarks(List<MarkTime> marks) {
    return new SsmlReport(honoured, dropped, marks);
  }

  public String toJson() {
    return JSON.writeValueAsString(this);
  }

  /** The report kept as JSON; null for null. */
  public static SsmlReport fromJson(String json) {
    return json == null || json.isBlank() ? null : JSON.readValue(json, SsmlReport.class);
  }
}
