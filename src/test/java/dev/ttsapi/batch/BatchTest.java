package dev.ttsapi.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.queue.QueueInspector;
import dev.ttsapi.ratelimit.UserLimitsService;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.GateEngine;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.MarkerEngine;
import dev.ttsapi.support.StatementCounting;
import dev.ttsapi.webhook.WebhookReceiver;
import dev.ttsapi.webhook.WebhookReceiver.Received;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Batches end to end over HTTP: submit, status, webhook, cancel, audio, limits and fairness. */
@TestPropertySource(
    properties = {
      "tts.webhook.allow-networks=127.0.0.1/32",
      "tts.webhook.poll-interval=100ms",
      "tts.queue.per-user-max-jobs=2",
      "tts.worker.slots=4",
      "tts.worker.synthesis-threads=4",
      "tts.input.max-bulk-body-size=1MB"
    })
@Import(StatementCounting.class)
class BatchTest extends IntegrationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired UserLimitsService limits;
  @Autowired QueueInspector inspector;
  @Autowired GateEngine gate;

  private WebhookReceiver receiver;
  private TestUser user;

  @BeforeEach
  void receiverAndUser() throws Exception {
    receiver = new WebhookReceiver();
    user = newUser("batcher-" + System.nanoTime(), Caller.Role.USER);
  }

  @AfterEach
  void stop() {
    gate.open();
    receiver.close();
  }

  @Test
  void a_batch_has_one_id_request_ids_in_order_and_one_webhook_once_every_item_has_ended() {
    var response =
        api.post(
            "/tts/batches",
            user.key(),
            batch(
                Map.of("format", "wav", "callback_url", receiver.url("/batch")),
                item("100", "intro"),
                item("200", null),
                item("300", "outro")));
    assertThat(response.status()).as(response.text()).isEqualTo(201);
    JsonNode batch = response.json();
    String id = batch.path("batch_id").asString();
    assertThat(response.header("Location")).isEqualTo("/tts/batches/" + id);
    assertThat(batch.path("total").asInt()).isEqualTo(3);
    List<JsonNode> items = batch.path("items").valueStream().toList();
    assertThat(items).extracting(i -> i.path("index").asInt()).containsExactly(0, 1, 2);
    assertThat(items)
        .extracting(i -> i.path("client_id").asString(null))
        .containsExactly("intro", null, "outro");
    List<String> requestIds = items.stream().map(i -> i.path("request_id").asString()).toList();
    assertThat(requestIds).doesNotHaveDuplicates().isSorted(); // UUIDv7, made in order

    JsonNode ended = awaitBatch(id, "completed");
    assertThat(ended.path("counts").path("completed").asInt()).isEqualTo(3);
    assertThat(ended.path("counts").path("queued").asInt()).isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
    Received webhook = receiver.received().getFirst();
    assertThat(webhook.header("Tts-Event")).isEqualTo("batch.completed");
    String secret =
        api.get("/tts/webhook", user.key()).json().path("secrets").get(0).path("secret").asString();
    assertThat(WebhookReceiver.verifies(webhook, secret)).isTrue();
    JsonNode sent = JSON.readTree(webhook.body());
    assertThat(sent).isEqualTo(api.get("/tts/batches/" + id, user.key()).json());
    // The batch's event comes after every item's end, and the items send none of their own.
    Instant batchEnded = Instant.parse(sent.path("ended_at").asString());
    for (String requestId : requestIds) {
      JsonNode status = api.get("/tts/status/" + requestId, user.key()).json();
      assertThat(Instant.parse(status.path("completed_at").asString()))
          .isBeforeOrEqualTo(batchEnded);
      assertThat(
              api.get("/tts/request/" + requestId + "/deliveries", user.key())
                  .json()
                  .path("deliveries")
                  .size())
          .isZero();
    }
    JsonNode log = api.get("/tts/batches/" + id + "/deliveries", user.key()).json();
    assertThat(log.path("deliveries").get(0).path("state").asString()).isEqualTo("delivered");
    TestUser other = newUser("nosy-" + System.nanoTime(), Caller.Role.USER);
    assertThat(api.get("/tts/batches/" + id, other.key()).status()).isEqualTo(404);
  }

  @Test
  void the_zip_holds_each_items_audio_named_by_client_id_or_index() throws Exception {
    String id =
        submitted(
            batch(
                Map.of("format", "wav"),
                item("100", "intro"),
                item("200", null),
                item("300", "c")));
    JsonNode ended = awaitBatch(id, "completed");
    assertThat(api.get("/tts/batches/" + id + "/audio?format=nope", user.key()).status())
        .isEqualTo(400);

    var zip = api.get("/tts/batches/" + id + "/audio", user.key());
    assertThat(zip.status()).isEqualTo(200);
    assertThat(zip.header("Content-Type")).isEqualTo("application/zip");
    assertThat(zip.header("Content-Disposition")).contains("batch-" + id + ".zip");
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.put(e.getName(), in.readAllBytes());
      }
    }
    assertThat(entries.keySet()).containsExactly("intro.wav", "0002.wav", "c.wav");
    List<String> requestIds =
        ended.path("items").valueStream().map(i -> i.path("request_id").asString()).toList();
    List<byte[]> files = new ArrayList<>(entries.values());
    for (int i = 0; i < 3; i++) {
      assertThat(files.get(i))
          .isEqualTo(api.get("/tts/audio/" + requestIds.get(i), user.key()).body());
    }
  }

  @Test
  void joined_mp3_carries_id3_chapters_ffprobe_reads_and_a_cue_sheet_of_the_same_file()
      throws Exception {
    Assumptions.assumeTrue(FfProbe.installed(), "needs ffprobe (Debian package ffmpeg)");
    // Marker tones of 1 s, 2 s and 0.5 s at 16 kHz.
    String id =
        submitted(
            batch(
                Map.of("format", "mp3"),
                item("1600", "one"),
                item("3200", "two"),
                item("800", "three")));
    awaitBatch(id, "completed");

    var joined = api.get("/tts/batches/" + id + "/audio?format=concat", user.key());
    assertThat(joined.status()).as(joined.text()).isEqualTo(200);
    assertThat(joined.header("Content-Type")).isEqualTo("audio/mpeg");
    assertThat(Long.parseLong(joined.header("Content-Length"))).isEqualTo(joined.body().length);
    Path file = Files.createTempFile("batch", ".mp3");
    Files.write(file, joined.body());
    JsonNode probe = FfProbe.chaptersAndFormat(file);
    List<JsonNode> chapters = probe.path("chapters").valueStream().toList();
    assertThat(chapters)
        .extracting(c -> c.path("tags").path("title").asString())
        .containsExactly("one", "two", "three");
    double[] starts = chapters.stream().mapToDouble(c -> c.path("start_time").asDouble()).toArray();
    double[] ends = chapters.stream().mapToDouble(c -> c.path("end_time").asDouble()).toArray();
    assertThat(starts[0]).isZero();
    assertThat(starts[1]).isEqualTo(ends[0]);
    assertThat(starts[2]).isEqualTo(ends[1]);
    // Each chapter is its tone plus the encoder's delay and last-frame padding (under 0.2 s).
    assertThat(ends[0] - starts[0]).isBetween(1.0, 1.2);
    assertThat(ends[1] - starts[1]).isBetween(2.0, 2.2);
    assertThat(ends[2] - starts[2]).isBetween(0.5, 0.7);
    assertThat(probe.path("format").path("duration").asDouble())
        .isCloseTo(ends[2], org.assertj.core.data.Offset.offset(0.1));
    Files.delete(file);

    var cue = api.get("/tts/batches/" + id + "/audio?format=cue", user.key());
    assertThat(cue.status()).isEqualTo(200);
    assertThat(cue.text())
        .contains("FILE \"batch-" + id + ".mp3\" MP3")
        .contains("TRACK 01 AUDIO", "TITLE \"one\"", "TRACK 03 AUDIO", "TITLE \"three\"");
    Matcher index = Pattern.compile("INDEX 01 (\\d+):(\\d+):(\\d+)").matcher(cue.text());
    List<Double> cueStarts = new ArrayList<>();
    while (index.find()) {
      cueStarts.add(
          Integer.parseInt(index.group(1)) * 60
              + Integer.parseInt(index.group(2))
              + Integer.parseInt(index.group(3)) / 75.0);
    }
    assertThat(cueStarts).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(cueStarts.get(i)).isCloseTo(starts[i], org.assertj.core.data.Offset.offset(0.014));
    }
  }

  @Test
  void items_of_different_formats_are_zipped_but_not_joined() {
    Map<String, Object> mp3 = item("100", "a");
    mp3.put("format", "mp3");
    String id = submitted(batch(Map.of("format", "wav"), mp3, item("200", "b")));
    awaitBatch(id, "completed");
    var joined = api.get("/tts/batches/" + id + "/audio?format=concat", user.key());
    assertThat(joined.status()).isEqualTo(409);
    assertThat(joined.json().path("type").asString())
        .isEqualTo("https://tts-api.dev/problems/batch-not-concatenable");
    assertThat(api.get("/tts/batches/" + id + "/audio", user.key()).status()).isEqualTo(200);
  }

  @Test
  void cancelling_a_batch_cancels_every_queued_item_and_it_ends_cancelled() {
    worker().stop();
    try {
      String id =
          submitted(
              batch(
                  Map.of("callback_url", receiver.url("/cancelled")),
                  item("1", null),
                  item("2", null),
                  item("3", null),
                  item("4", null)));
      assertThat(api.get("/tts/batches/" + id + "/audio", user.key()).status()).isEqualTo(409);
      var cancelled = api.delete("/tts/batches/" + id, user.key());
      assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
      assertThat(cancelled.json().path("status").asString()).isEqualTo("cancelled");
      assertThat(cancelled.json().path("counts").path("cancelled").asInt()).isEqualTo(4);
      await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);
      assertThat(receiver.received().getFirst().header("Tts-Event")).isEqualTo("batch.cancelled");
      assertThat(api.delete("/tts/batches/" + id, user.key()).status()).isEqualTo(409);
    } finally {
      worker().start();
    }
  }

  @Test
  void a_bad_item_refuses_the_whole_batch_naming_each_bad_field() {
    Map<String, Object> slow = item("1", "x");
    slow.put("voice_settings", Map.of("voice", MarkerEngine.VOICE, "speed", 9.0));
    Map<String, Object> ssml = item("2", "y");
    ssml.put("text_type", "ssml"); // not SSML: "y" has no <speak> root
    var refused =
        api.post(
            "/tts/batches",
            user.key(),
            batch(Map.of(), item("fine", "a"), slow, item("  ", "b"), item("3", "a"), ssml));
    assertThat(refused.status()).as(refused.text()).isEqualTo(400);
    assertThat(refused.json().path("errors").valueStream().map(e -> e.path("field").asString()))
        .containsExactlyInAnyOrder(
            "items[1].voice_settings.speed",
            "items[2].text",
            "items[3].client_id",
            "items[4].text");
    assertThat(api.get("/tts/requests", user.key()).json().path("items").size()).isZero();

    Map<String, Object>[] tooMany = manyItems(1001, "1");
    var over = api.post("/tts/batches", user.key(), batch(Map.of(), tooMany));
    assertThat(over.status()).isEqualTo(400);
    assertThat(over.text()).contains("at most 1000");
    assertThat(api.post("/tts/batches", user.key(), batch(Map.of())).status()).isEqualTo(400);
  }

  @Test
  void a_thousand_items_past_the_usual_body_limit_are_one_efficient_call() {
    worker().stop();
    try {
      // About 100 KB: more than tts.input.max-body-size (64 KB), which still holds elsewhere.
      Map<String, Object>[] items =
          manyItems(1000, "Chapter %d of the long book, read aloud in full by the voice.");
      String body = batch(Map.of(), items);
      assertThat(body.length()).isGreaterThan(64 * 1024);
      assertThat(api.post("/v1/audio/speech", user.key(), body).status()).isEqualTo(413);

      var accepted = api.post("/tts/batches", user.key(), body);
      assertThat(accepted.status()).as(accepted.text()).isEqualTo(201);
      assertThat(accepted.json().path("items").size()).isEqualTo(1000);
      assertThat(accepted.json().path("counts").path("queued").asInt()).isEqualTo(1000);
      // A constant number of statements, whatever the number of items: no statement per item.
      assertThat(StatementCounting.lastCount("/tts/batches")).isLessThan(15);

      String tooBig = "x".repeat(1_100_000);
      var refused =
          api.post("/tts/batches", user.key(), "{\"items\":[{\"text\":\"" + tooBig + "\"}]}");
      assertThat(refused.status()).isEqualTo(413);
      assertThat(refused.json().path("max_body_bytes").asLong()).isEqualTo(1024 * 1024);
    } finally {
      worker().start();
    }
  }

  @Test
  void a_batch_over_the_quota_or_the_submit_budget_is_refused_whole_saying_how_many_fit() {
    limits.setLimits(user.caller().userId(), 100000, 10L);
    var overQuota =
        api.post(
            "/tts/batches",
            user.key(),
            batch(Map.of(), item("1234", null), item("5678", null), item("9012", null)));
    assertThat(overQuota.status()).as(overQuota.text()).isEqualTo(429);
    assertThat(overQuota.json().path("type").asString())
        .isEqualTo("https://tts-api.dev/problems/quota-exceeded");
    assertThat(overQuota.json().path("items_that_fit").asInt()).isEqualTo(2);
    assertThat(overQuota.header("Retry-After")).isNotNull();
    assertThat(api.get("/tts/requests", user.key()).json().path("items").size()).isZero();

    limits.setLimits(user.caller().userId(), 3, 100000L);
    var overBudget = api.post("/tts/batches", user.key(), batch(Map.of(), manyItems(5, "7")));
    assertThat(overBudget.status()).as(overBudget.text()).isEqualTo(429);
    assertThat(overBudget.json().path("type").asString())
        .isEqualTo("https://tts-api.dev/problems/rate-limited");
    int fit = overBudget.json().path("items_that_fit").asInt();
    assertThat(fit).isEqualTo(2);
    assertThat(api.get("/tts/requests", user.key()).json().path("items").size()).isZero();
    // What it said fits, fits.
    assertThat(api.post("/tts/batches", user.key(), batch(Map.of(), manyItems(fit, "7"))).status())
        .isEqualTo(201);
  }

  @Test
  void one_users_batch_takes_at_most_the_cap_and_another_users_request_runs_beside_it() {
    TestUser bob = newUser("bob-" + System.nanoTime(), Caller.Role.USER);
    int before = gate.calls(); // warm-up spoke through it once
    gate.close();
    String batchId =
        submitted(
            batch(
                Map.of("voice_settings", Map.of("voice", GateEngine.VOICE)), manyItems(20, "%d")));
    String bobs =
        api.post(
                "/tts/request",
                bob.key(),
                dev.ttsapi.support.Payloads.submit("hi", GateEngine.VOICE, "normal"))
            .json()
            .path("request_id")
            .asString();
    // Alice's two places are taken and her 18 others held; Bob's request got a place of its own.
    await().atMost(Duration.ofSeconds(30)).until(() -> gate.calls() - before >= 3);
    Map<UUID, Long> placesByUser = new HashMap<>();
    inspector.admittedJobs().values().forEach(u -> placesByUser.merge(u, 1L, Long::sum));
    assertThat(placesByUser)
        .containsEntry(user.caller().userId(), 2L)
        .containsEntry(bob.caller().userId(), 1L);
    assertThat(gate.calls() - before).isEqualTo(3);

    gate.open();
    JsonNode bobsStatus = awaitStatus(bob.key(), bobs, "completed");
    JsonNode batch = awaitBatch(batchId, "completed");
    assertThat(Instant.parse(bobsStatus.path("completed_at").asString()))
        .isBefore(Instant.parse(batch.path("ended_at").asString()));
  }

  private String submitted(String body) {
    var response = api.post("/tts/batches", user.key(), body);
    assertThat(response.status()).as(response.text()).isEqualTo(201);
    return response.json().path("batch_id").asString();
  }

  @Test
  void a_batch_of_stored_audio_is_answered_ended_in_its_own_transaction_and_sends_its_webhook() {
    Map<String, Object> fields = Map.of("format", "wav", "callback_url", receiver.url("/again"));
    String first =
        api.post("/tts/batches", user.key(), batch(fields, item("410", "a"), item("420", "b")))
            .json()
            .path("batch_id")
            .asString();
    awaitBatch(first, "completed");
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 1);

    var again =
        api.post("/tts/batches", user.key(), batch(fields, item("410", "a"), item("420", "b")));

    assertThat(again.status()).as(again.text()).isEqualTo(201);
    assertThat(again.json().path("status").asString())
        .as("every item answered from stored audio as the batch was written: %s", again.text())
        .isEqualTo("completed");
    assertThat(again.json().path("counts").path("completed").asInt()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() == 2);
    assertThat(receiver.received().get(1).header("Tts-Event")).isEqualTo("batch.completed");
    for (JsonNode item : again.json().path("items")) {
      String requestId = item.path("request_id").asString();
      assertThat(
              jdbc.sql("SELECT cache_hit FROM requests WHERE id = CAST(:id AS uuid)")
                  .param("id", requestId)
                  .query(Boolean.class)
                  .single())
          .isTrue();
      assertThat(api.get("/tts/audio/" + requestId, user.key()).status()).isEqualTo(200);
    }
  }

  private JsonNode awaitBatch(String id, String status) {
    JsonNode[] last = new JsonNode[1];
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              last[0] = api.get("/tts/batches/" + id, user.key()).json();
              return status.equals(last[0].path("status").asString());
            });
    return last[0];
  }

  private static Map<String, Object> item(String text, String clientId) {
    Map<String, Object> item = new HashMap<>();
    item.put("text", text);
    if (clientId != null) {
      item.put("client_id", clientId);
    }
    return item;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object>[] manyItems(int count, String textFormat) {
    return IntStream.range(0, count)
        .mapToObj(i -> item(String.format(textFormat, i + 1), null))
        .toArray(Map[]::new);
  }

  @SafeVarargs
  private static String batch(Map<String, Object> batchFields, Map<String, Object>... items) {
    Map<String, Object> body = new HashMap<>(batchFields);
    body.putIfAbsent("voice_settings", Map.of("voice", MarkerEngine.VOICE));
    body.put("items", Arrays.asList(items));
    return ApiClient.json(body);
  }
}
