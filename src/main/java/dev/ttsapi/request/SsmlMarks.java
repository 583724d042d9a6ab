package dev.ttsapi.request;

import dev.ttsapi.ssml.SsmlReport;
import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** An SSML request answered from stored audio takes the marks' times of that audio. */
final class SsmlMarks {

  private static final JsonMapper JSON =
      JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

  private SsmlMarks() {}

  /**
   * The request's report (JSON) with the stored audio's marks (JSON array), or the report as it was
   * when either is missing.
   */
  static String merge(String report, String marks) {
    if (report == null || marks == null) {
      return report;
    }
    List<SsmlReport.MarkTime> times =
        JSON.readValue(marks, new TypeReference<List<SsmlReport.MarkTime>>() {});
    return SsmlReport.fromJson(report).withMarks(times).toJson();
  }
}
