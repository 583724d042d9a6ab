package dev.ttsapi.support;

/** Reads samples out of Prometheus' text format, as a scrape of {@code /metrics} returns it. */
public final class PrometheusText {

  private PrometheusText() {}

  /** The sample of {@code name} whose labels contain all {@code labels}; 0 if none. */
  public static double value(String metrics, String name, String... labels) {
    for (String line : metrics.split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= line.contains(label);
      }
      if (all) {
        String[] parts = line.trim().split(" ");
        return Double.parseDouble(parts[parts.length - 1]);
      }
    }
    return 0;
  }
}
