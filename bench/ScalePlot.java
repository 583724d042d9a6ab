import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * Draws bench/scale.sh's plot with nothing but the JDK (Java2D, headless): one panel per measure
 * against the jobs waiting (log scale), one line per table size, and the drain's jobs per second
 * against worker processes. Run as a source file: {@code java bench/ScalePlot.java scale.tsv
 * drain.tsv out.png}.
 */
public class ScalePlot {

  private static final Color[] COLORS = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)
  };
  private static final int W = 480;
  private static final int H = 330;

  record Series(String label, Color color, boolean dashed, TreeMap<Double, Double> points) {}

  public static void main(String[] args) throws Exception {
    List<Map<String, String>> scale = read(Path.of(args[0]));
    List<Map<String, String>> drain = read(Path.of(args[1]));
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(W * 3, H * 2, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    panel(g, 0, 0, "submit latency (ms), p50 solid, p99 dashed", "jobs waiting", true,
        byRows(scale, "submit_p50_ms", "submit_p99_ms"));
    panel(g, W, 0, "status latency (ms), p50 solid, p99 dashed", "jobs waiting", true,
        byRows(scale, "status_p50_ms", "status_p99_ms"));
    panel(g, 2 * W, 0, "submit and status (req/s), status dashed", "jobs waiting", true,
        byRows(scale, "submit_rps", "status_rps"));
    panel(g, 0, H, "one worker process (jobs/s)", "jobs waiting", true,
        byRows(scale, "worker_jobs_per_s", null));
    panel(g, W, H, "RSS (MiB), API node solid, worker dashed", "jobs waiting", true,
        byRows(scale, "api_rss_mib", "worker_rss_mib"));
    TreeMap<Double, Double> drained = new TreeMap<>();
    for (Map<String, String> row : drain) {
      drained.put(Double.parseDouble(row.get("workers")), Double.parseDouble(row.get("jobs_per_s")));
    }
    panel(g, 2 * W, H, "drain (jobs/s)", "worker processes", false,
        List.of(new Series("drain", COLORS[0], false, drained)));
    g.dispose();
    ImageIO.write(image, "png", new File(args[2]));
  }

  /** One series per table size: {@code solid} as a solid line, {@code dashed} (if any) dashed. */
  private static List<Series> byRows(List<Map<String, String>> rows, String solid, String dashed) {
    Map<String, List<Map<String, String>>> bySize = new LinkedHashMap<>();
    for (Map<String, String> row : rows) {
      bySize.computeIfAbsent(row.get("rows"), k -> new ArrayList<>()).add(row);
    }
    List<Series> series = new ArrayList<>();
    int i = 0;
    for (var entry : bySize.entrySet()) {
      Color color = COLORS[i++ % COLORS.length];
      series.add(new Series(entry.getKey() + " rows", color, false, points(entry.getValue(), solid)));
      if (dashed != null) {
        series.add(new Series(null, color, true, points(entry.getValue(), dashed)));
      }
    }
    return series;
  }

  private static TreeMap<Double, Double> points(List<Map<String, String>> rows, String column) {
    TreeMap<Double, Double> points = new TreeMap<>();
    for (Map<String, String> row : rows) {
      try {
        points.put(Double.parseDouble(row.get("waiting")), Double.parseDouble(row.get(column)));
      } catch (NumberFormatException | NullPointerException e) {
        // a point not measured stays out
      }
    }
    return points;
  }

  private static void panel(
      Graphics2D g, int x0, int y0, String title, String xLabel, boolean logX, List<Series> series) {
    int left = x0 + 60;
    int right = x0 + W - 20;
    int top = y0 + 40;
    int bottom = y0 + H - 50;
    double minX = Double.MAX_VALUE;
    double maxX = -Double.MAX_VALUE;
    double maxY = 0;
    for (Series s : series) {
      for (var p : s.points().entrySet()) {
        double x = logX ? Math.log10(p.getKey()) : p.getKey();
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        maxY = Math.max(maxY, p.getValue());
      }
    }
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.drawString(title, x0 + 20, y0 + 22);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.drawLine(left, bottom, right, bottom);
    g.drawLine(left, top, left, bottom);
    g.drawString(xLabel + (logX ? " (log)" : ""), (left + right) / 2 - 40, bottom + 35);
    if (minX == Double.MAX_VALUE) {
      g.drawString("no data", left + 20, (top + bottom) / 2);
      return;
    }
    if (maxX == minX) {
      minX -= 0.5;
      maxX += 0.5;
    }
    maxY = maxY <= 0 ? 1 : niceCeiling(maxY * 1.1);
    // y from 0: a line that is flat looks flat, one that grows looks as steep as it is
    for (int i = 0; i <= 4; i++) {
      int y = bottom - (bottom - top) * i / 4;
      g.setColor(new Color(0xdddddd));
      g.drawLine(left + 1, y, right, y);
      g.setColor(Color.BLACK);
      g.drawString(format(maxY * i / 4), x0 + 8, y + 4);
    }
    for (Series s : series) {
      for (double key : s.points().keySet()) {
        int x = scale(logX ? Math.log10(key) : key, minX, maxX, left + 15, right - 15);
        g.setColor(Color.BLACK);
        g.drawString(format(key), x - 12, bottom + 16);
      }
    }
    int legend = 0;
    for (Series s : series) {
      g.setColor(s.color());
      g.setStroke(
          s.dashed()
              ? new BasicStroke(2, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0)
              : new BasicStroke(2));
      int px = -1;
      int py = -1;
      for (var p : s.points().entrySet()) {
        int x = scale(logX ? Math.log10(p.getKey()) : p.getKey(), minX, maxX, left + 15, right - 15);
        int y = scale(p.getValue(), 0, maxY, bottom, top);
        g.fillOval(x - 3, y - 3, 6, 6);
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        px = x;
        py = y;
      }
      g.setStroke(new BasicStroke(1));
      if (s.label() != null) {
        g.drawString(s.label(), right - 110, top + 12 + 14 * legend++);
      }
    }
  }

  private static int scale(double v, double from, double to, int a, int b) {
    return (int) Math.round(a + (v - from) / (to - from) * (b - a));
  }

  private static double niceCeiling(double v) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * magnitude >= v) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String format(double v) {
    if (v >= 1000 && v == Math.rint(v)) {
      return v >= 1e6 ? String.format(Locale.ROOT, "%.0fM", v / 1e6)
          : String.format(Locale.ROOT, "%.0fk", v / 1e3);
    }
    return v == Math.rint(v)
        ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.2g", v);
  }

  private static List<Map<String, String>> read(Path file) throws Exception {
    List<String> lines = Files.readAllLines(file);
    String[] header = lines.getFirst().split("\t");
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split("\t");
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.length && i < cells.length; i++) {
        row.put(header[i], cells[i]);
      }
      rows.add(row);
    }
    return rows;
  }
}
