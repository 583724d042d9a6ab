package dev.ttsapi.bench;

import dev.ttsapi.console.EventStreamClient;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.Voice;
import dev.ttsapi.engine.espeak.EspeakEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sound.sampled.AudioInputStream;
import marytts.LocalMaryInterface;
import marytts.MaryInterface;

/**
 * The synthesis side of {@code bench/run.sh}: the same list of texts spoken by raw MaryTTS in this
 * process, by MaryTTS's own HTTP server, or by tts-api, each reporting characters per second. Not a
 * test; {@code bench/run.sh} runs it from the test classpath in a process of its own.
 *
 * <ul>
 *   <li>{@code texts <file> <count> <chars> <repeated-fraction> <seed>}: writes {@code count} texts
 *       of about {@code chars} characters, one per line; the given fraction of them (evenly spread)
 *       repeat an earlier line of the same file.
 *   <li>{@code raw <threads> <file>}: in-process MaryTTS, {@code cmu-slt-hsmm}, {@code threads}
 *       threads taking the next text as they free up; every audio stream is read to its end.
 *   <li>{@code mary-http <port> <threads> <file>}: the same through {@code marytts.server.Mary}'s
 *       {@code POST /process}, {@code threads} clients each waiting for its answer.
 *   <li>{@code ours <base-url> <key> <file> [format]}: every text submitted to {@code POST
 *       /tts/request} (8 clients), then each request's status polled until it is completed; the
 *       time runs from the first submission to the last completion seen.
 *   <li>{@code sequential <base-url> <key> <file>}: one text at a time, the next submitted when the
 *       last is completed (seen on {@code GET /tts/events}; {@code -Dtts.bench.wait=poll}: status
 *       polled every 2 ms instead), so no request waits behind another; the script reads each
 *       request's times from PostgreSQL.
 *   <li>{@code espeak-direct <file> [voice]}: espeak-ng through libespeak-ng in this process, as
 *       the service's engine calls it (the same {@code EspeakEngine}), one text at a time after a
 *       warm-up; reports the p50 and p99 of one text's synthesis ({@code p50_ms=}, {@code
 *       p99_ms=}), the denominator of {@code bench/overhead.sh}'s taken → stored ratio.
 * </ul>
 *
 * Each prints one line {@code RESULT mode=… texts=… chars=… seconds=… chars_per_s=…}.
 */
public final class SynthesisBench {

  private static final String VOICE = "cmu-slt-hsmm";

  /** The voice asked of this service: MaryTTS's, unless -Dtts.bench.voice names another. */
  private static final String SERVICE_VOICE =
      System.getProperty("tts.bench.voice", "mary:" + VOICE);

  private static final Pattern ID = Pattern.compile("\"request_id\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([a-z]+)\"");
  private static final Pattern CACHE_HIT = Pattern.compile("\"cache_hit\"\\s*:\\s*true");

  private SynthesisBench() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "texts" ->
          writeTexts(
              Path.of(args[1]),
              Integer.parseInt(args[2]),
              Integer.parseInt(args[3]),
              Double.parseDouble(args[4]),
              Long.parseLong(args[5]));
      case "raw" -> raw(Integer.parseInt(args[1]), read(args[2]));
      case "mary-http" ->
          maryHttp(Integer.parseInt(args[1]), Integer.parseInt(args[2]), read(args[3]));
      case "ours" -> ours(args[1], args[2], read(args[3]), args.length > 4 ? args[4] : "wav");
      case "sequential" -> sequential(args[1], args[2], read(args[3]));
      case "espeak-direct" -> espeakDirect(read(args[1]), args.length > 2 ? args[2] : "en-us");
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
    System.exit(0);
  }

  private static List<String> read(String file) throws IOException {
    return Files.readAllLines(Path.of(file)).stream().filter(l -> !l.isBlank()).toList();
  }

  // ---------------------------------------------------------------------------------------------
  // texts

  private static final String[] SUBJECTS = {
    "The committee", "Our neighbour", "A young engineer", "The old library", "Every student",
    "The city council", "A tired traveller", "The new museum", "My grandmother", "The orchestra"
  };
  private static final String[] VERBS = {
    "discussed",
    "planned",
    "described",
    "remembered",
    "welcomed",
    "repaired",
    "announced",
    "explored",
    "painted",
    "measured"
  };
  private static final String[] OBJECTS = {
    "the bridge over the river", "a quiet garden behind the station", "the first winter market",
    "several letters from abroad", "the broken clock in the hall", "a long walk through the hills",
    "the results of the election", "a small boat near the harbour", "the history of the town",
    "an unusual recipe for bread"
  };
  private static final String[] TAILS = {
    "on a rainy Tuesday morning", "after a long and careful debate", "before the summer holidays",
    "with great enthusiasm", "while the children were asleep", "in front of a large crowd",
    "without saying a single word", "during the evening news", "at the end of the week",
    "for the very first time"
  };

  /** Plain English sentences; a number in each line keeps the lines apart. */
  static void writeTexts(Path file, int count, int chars, double repeated, long seed)
      throws IOException {
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      // exactly that fraction, spread evenly: with 0.5 every second line repeats an earlier one
      if (Math.floor((i + 1) * repeated) > Math.floor(i * repeated) && i > 0) {
        lines.add(lines.get(random.nextInt(i)));
        continue;
      }
      StringBuilder b = new StringBuilder();
      b.append("Item ").append(seed % 100_000).append('-').append(i).append(". ");
      while (b.length() < chars) {
        b.append(SUBJECTS[random.nextInt(SUBJECTS.length)])
            .append(' ')
            .append(VERBS[random.nextInt(VERBS.length)])
            .append(' ')
            .append(OBJECTS[random.nextInt(OBJECTS.length)])
            .append(' ')
            .append(TAILS[random.nextInt(TAILS.length)])
            .append(". ");
      }
      lines.add(b.toString().strip());
    }
    Files.write(file, lines);
  }

  // ---------------------------------------------------------------------------------------------
  // raw MaryTTS in process

  private static void raw(int threads, List<String> texts) throws Exception {
    keepMaryLogsAway();
    // Start MaryTTS and warm every thread's interface up once, as the service's warm-up does.
    List<MaryInterface> marys = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      MaryInterface mary = new LocalMaryInterface();
      mary.setVoice(VOICE);
      for (String warmUp : warmUps()) {
        drain(mary.generateAudio(warmUp));
      }
      marys.add(mary);
    }
    AtomicInteger next = new AtomicInteger();
    AtomicLong audioBytes = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    List<Future<?>> running = new ArrayList<>();
    for (MaryInterface mary : marys) {
      running.add(
          pool.submit(
              () -> {
                for (int i; (i = next.getAndIncrement()) < texts.size(); ) {
                  try {
                    audioBytes.addAndGet(drain(mary.generateAudio(texts.get(i))));
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : running) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
    report(
        "raw",
        texts,
        seconds,
        String.format(
            Locale.ROOT,
            "threads=%d audio_bytes=%d cpu_s=%.2f",
            threads,
            audioBytes.get(),
            cpuSeconds));
  }

  /** CPU time of this whole process (all threads, user and system). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * Reads an audio stream to its end. {@code readAllBytes()} would not do: MaryTTS's appendable
   * stream hands it only its first block.
   */
  private static long drain(AudioInputStream audio) throws IOException {
    long total = 0;
    byte[] buffer = new byte[64 * 1024];
    try (audio) {
      for (int n; (n = audio.read(buffer)) != -1; ) {
        total += n;
      }
    }
    return total;
  }

  /**
   * A few sentences spoken before the clock starts, so the JIT has compiled MaryTTS's hot code as
   * it has in the service, which has spoken earlier scenarios' texts by then.
   */
  private static List<String> warmUps() {
    List<String> sentences = new ArrayList<>();
    for (int i = 0; i < Integer.getInteger("bench.warmups", 4); i++) {
      sentences.add(
          "Warm up number "
              + i
              + ". The committee discussed the bridge over the river with great enthusiasm.");
    }
    return sentences;
  }

  /** As the service does (logging.level.marytts=WARN): MaryTTS logs every module at INFO. */
  private static void keepMaryLogsAway() {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("marytts"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    if (System.getProperty("mary.base") == null) {
      System.setProperty(
          "mary.base",
          Path.of(System.getProperty("java.io.tmpdir"), "tts-bench-marytts").toString());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // MaryTTS's own HTTP server

  private static void maryHttp(int port, int threads, List<String> texts) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    for (String warmUp : warmUps()) {
      maryCall(http, port, warmUp);
    }
    AtomicInteger next = new AtomicInteger();
    AtomicLong bytes = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long start = System.nanoTime();
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      running.add(
          pool.submit(
              () -> {
                for (int i; (i = next.getAndIncrement()) < texts.size(); ) {
                  bytes.addAndGet(maryCall(http, port, texts.get(i)));
                }
                return null;
              }));
    }
    for (Future<?> f : running) {
      f.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    report("mary-http", texts, seconds, "threads=" + threads + " wav_bytes=" + bytes.get());
  }

  /**
   * {@code POST /process} with MaryTTS's form parameters. The same query as a {@code GET} answers
   * 404 here: with the httpcore-nio 4.4 on this classpath, MaryTTS 5.2.1's handler lookup keeps the
   * query in the path.
   */
  private static long maryCall(HttpClient http, int port, String text) throws Exception {
    String form =
        "INPUT_TEXT="
            + URLEncoder.encode(text, StandardCharsets.UTF_8)
            + "&INPUT_TYPE=TEXT&OUTPUT_TYPE=AUDIO&AUDIO=WAVE_FILE&LOCALE=en_US&VOICE="
            + VOICE;
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/process"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .timeout(Duration.ofMinutes(5))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    long n;
    try (InputStream in = response.body()) {
      n = in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    if (response.statusCode() != 200 || n <= 44) {
      throw new IllegalStateException(
          "MaryTTS answered " + response.statusCode() + ", " + n + " bytes");
    }
    return n;
  }

  // ---------------------------------------------------------------------------------------------
  // tts-api

  private static void ours(String baseUrl, String key, List<String> texts, String format)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String[] ids = new String[texts.size()];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger cacheHits = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    long start = System.nanoTime();
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      running.add(
          pool.submit(
              () -> {
                for (int i; (i = next.getAndIncrement()) < texts.size(); ) {
                  String body = submit(http, baseUrl, key, texts.get(i), format);
                  Matcher m = ID.matcher(body);
                  if (!m.find()) {
                    throw new IllegalStateException("no request_id in " + body);
                  }
                  ids[i] = m.group(1);
                  if (CACHE_HIT.matcher(body).find()) {
                    cacheHits.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : running) {
      f.get();
    }
    pool.shutdown();
    double submitted = (System.nanoTime() - start) / 1e9;
    // Wait for each request in turn; a finished one costs one call. 20 ms between polls keeps the
    // polling far below what would take CPU from the workers.
    Map<String, String> seen = new HashMap<>();
    for (String id : ids) {
      if (seen.containsKey(id)) {
        continue;
      }
      while (true) {
        String status = status(http, baseUrl, key, id);
        if (status.equals("completed")) {
          break;
        }
        if (status.equals("failed") || status.equals("cancelled")) {
          throw new IllegalStateException("request " + id + " " + status);
        }
        Thread.sleep(20);
      }
      seen.put(id, "completed");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    report(
        "ours",
        texts,
        seconds,
        String.format(
            Locale.ROOT,
            "submitted_in_s=%.3f cache_hits_at_submit=%d format=%s",
            submitted,
            cacheHits.get(),
            format));
  }

  private static void sequential(String baseUrl, String key, List<String> texts) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    // Waiting on the events stream instead of polling keeps the client from taking CPU from the
    // job it measures: on 2 cores, a status poll every 2 ms made a short job's synthesis take 4-5
    // ms longer than with no client at all.
    boolean poll = "poll".equals(System.getProperty("tts.bench.wait", "events"));
    try (EventStreamClient events = poll ? null : new EventStreamClient(baseUrl, key)) {
      if (events != null) {
        events.awaitReady();
      }
      long start = System.nanoTime();
      for (String text : texts) {
        String answer = submit(http, baseUrl, key, text, "wav");
        Matcher m = ID.matcher(answer);
        if (!m.find()) {
          throw new IllegalStateException("no request_id");
        }
        if (poll) {
          while (!status(http, baseUrl, key, m.group(1)).equals("completed")) {
            Thread.sleep(2);
          }
        } else {
          Matcher status = STATUS.matcher(answer);
          if (!(status.find() && status.group(1).equals("completed"))) {
            awaitCompleted(events, m.group(1));
          }
        }
      }
      report("sequential", texts, (System.nanoTime() - start) / 1e9, "");
    }
  }

  /** Reads the stream until {@code id}'s completed event; other requests' events are passed by. */
  private static void awaitCompleted(EventStreamClient events, String id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      EventStreamClient.Event event = events.next(Duration.ofSeconds(10));
      if (event != null
          && event.name().equals("status")
          && event.json().path("request_id").asString().equals(id)
          && event.json().path("status").asString().equals("completed")) {
        return;
      }
    }
    throw new IllegalStateException("no completed event for " + id + " within 2 minutes");
  }

  private static void espeakDirect(List<String> texts, String voiceName) {
    EspeakEngine engine =
        EspeakEngine.detect(EspeakEngine.DEFAULT_TIMEOUT, true)
            .orElseThrow(() -> new IllegalStateException("espeak-ng is not installed"));
    if (!engine.throughLibrary()) {
      throw new IllegalStateException(
          "libespeak-ng not found: the service would not use it either");
    }
    Voice voice =
        engine.voices().stream()
            .filter(v -> v.name().equals(voiceName))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no espeak-ng voice " + voiceName));
    for (int i = 0; i < 50; i++) {
      engine.synthesize(texts.get(i % texts.size()), voice, SpeechSettings.NORMAL); // warm-up
    }
    double[] millis = new double[texts.size()];
    long start = System.nanoTime();
    for (int i = 0; i < texts.size(); i++) {
      long one = System.nanoTime();
      engine.synthesize(texts.get(i), voice, SpeechSettings.NORMAL);
      millis[i] = (System.nanoTime() - one) / 1e6;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Arrays.sort(millis);
    report(
        "espeak-direct",
        texts,
        seconds,
        String.format(
            Locale.ROOT,
            "p50_ms=%.3f p99_ms=%.3f",
            percentile(millis, 0.5),
            percentile(millis, 0.99)));
  }

  /** Linear between the closest ranks, as PostgreSQL's percentile_cont. */
  private static double percentile(double[] sorted, double p) {
    double rank = p * (sorted.length - 1);
    int below = (int) Math.floor(rank);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
  }

  private static String submit(
      HttpClient http, String baseUrl, String key, String text, String format) {
    String body =
        "{\"text\":"
            + jsonString(text)
            + ",\"voice_settings\":{\"voice\":\""
            + SERVICE_VOICE
            + "\"},\"format\":\""
            + format
            + "\"}";
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(baseUrl + "/tts/request"))
                  .header("Authorization", "Bearer " + key)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "POST /tts/request: " + response.statusCode() + " " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String status(HttpClient http, String baseUrl, String key, String id)
      throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/tts/status/" + id))
                .header("Authorization", "Bearer " + key)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher m = STATUS.matcher(response.body());
    if (response.statusCode() != 200 || !m.find()) {
      throw new IllegalStateException(
          "GET /tts/status: " + response.statusCode() + " " + response.body());
    }
    return m.group(1);
  }

  private static String jsonString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  // ---------------------------------------------------------------------------------------------

  private static void report(String mode, List<String> texts, double seconds, String extra) {
    long chars = texts.stream().mapToLong(t -> t.codePointCount(0, t.length())).sum();
    System.out.printf(
        Locale.ROOT,
        "RESULT mode=%s texts=%d chars=%d seconds=%.3f chars_per_s=%.1f %s%n",
        mode,
        texts.size(),
        chars,
        seconds,
        chars / seconds,
        extra);
  }
}
