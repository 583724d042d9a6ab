package dev.ttsapi.timings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every timing of one piece of audio, in the order they are heard (a sentence before its first
 * word, a mark before what follows it).
 *
 * @param durationMs the audio's length
 */
public record Timings(long durationMs, List<Timing> timings) {

  private static final JsonMapper JSON =
      JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

  private static final Comparator<Timing> HEARD =
      Comparator.comparingLong(Timing::startMs).thenComparing(Timing::unit);

  public Timings {
    List<Timing> sorted = new ArrayList<>(timings);
    sorted.sort(HEARD);
    timings = List.copyOf(sorted);
  }

  public List<Timing> of(Timing.Unit unit) {
    return timings.stream().filter(t -> t.unit() == unit).toList();
  }

  /**
   * The same timings with their character offsets moved from {@code from} (the text they were made
   * for) to {@code to} (a text it was derived from): the submitted text when a lexicon changed the
   * words the engine spoke.
   */
  public Timings remapped(String from, String to) {
    if (from.equals(to)) {
      return this;
    }
    Alignment where = Alignment.of(to, 0, from, false);
    return new Timings(
        durationMs,
        timings.stream()
            .map(
                t ->
                    t.at(
                        where.start(Math.min(t.charStart(), from.length())),
                        where.end(Math.min(t.charEnd(), from.length()))))
            .toList());
  }

  /** Kept as JSON: {@code {"duration_ms", "timings": [{unit, text, start_ms, ...}]}}. */
  public String toJson() {
    return JSON.writeValueAsString(this);
  }

  /** A list of timings as a JSON array (a stream's timing event). */
  public static String toJson(List<Timing> timings) {
    return JSON.writeValueAsString(timings);
  }

  public static List<Timing> listFromJson(String json) {
    return JSON.readValue(json, new tools.jackson.core.type.TypeReference<List<Timing>>() {});
  }

  public static Timings fromJson(String json) {
    return JSON.readValue(json, Timings.class);
  }
}
