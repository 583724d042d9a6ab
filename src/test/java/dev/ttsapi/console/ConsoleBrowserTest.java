package dev.ttsapi.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.WaitForSelectorState;
import dev.ttsapi.auth.Caller;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.queue.TestQueue;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console end to end in headless Chromium (Debian's {@code /usr/bin/chromium}, driven by
 * Playwright; Playwright downloads no browser). Skipped where Chromium is not installed.
 * Screenshots of each page go to {@code target/screenshots/}.
 */
class ConsoleBrowserTest extends IntegrationTest {

  private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  private static final Path SCREENSHOTS = Paths.get("target", "screenshots");
  private static final String VIETNAMESE = "Xin chào! Tiếng Việt có dấu: đường, phở, nghiêng.";
  private static final double TIMEOUT_MS = 60_000;

  private static Playwright playwright;
  private static Browser browser;
  private BrowserContext context;
  private Page page;
  private final List<String> requested = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void launch() throws Exception {
    assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM);
    Files.createDirectories(SCREENSHOTS);
    playwright =
        Playwright.create(
            new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser =
        playwright
            .chromium()
            .launch(
                new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setArgs(
                        List.of(
                            "--headless",
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--autoplay-policy=no-user-gesture-required")));
  }

  @AfterAll
  static void quit() {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
  }

  @BeforeEach
  void openPage() {
    // A phone-sized window: the pages must be usable there.
    context = browser.newContext(new Browser.NewContextOptions().setViewportSize(412, 915));
    page = context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    page.onRequest(r -> requested.add(r.method() + " " + r.url()));
  }

  @AfterEach
  void closePage() {
    if (context != null) {
      context.close();
    }
  }

  @Test
  void a_user_signs_in_speaks_vietnamese_and_hears_it_when_the_stream_says_completed() {
    TestUser user = newUser("browser-user", Caller.Role.USER);
    page.navigate(api.base() + "/");
    screenshot("01-sign-in");
    signIn(user.key());

    page.waitForSelector(
        "#app", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.VISIBLE));
    page.waitForFunction(
        "document.getElementById('events-state').textContent.includes('connected')");
    page.fill("#text", VIETNAMESE);
    page.selectOption("#language", "vi");
    page.selectOption("#format", "wav");
    page.click("#speak-button");

    page.waitForFunction("document.getElementById('current-status').textContent === 'completed'");
    page.waitForFunction(
        "(() => { const a = document.getElementById('player');"
            + " return a.src.startsWith('blob:') && a.readyState >= 1 && a.duration > 0; })()");
    double duration =
        ((Number) page.evaluate("document.getElementById('player').duration")).doubleValue();
    assertThat(duration).isPositive();
    assertThat(page.getAttribute("#download", "download")).endsWith(".wav");
    page.waitForSelector("#history tbody tr td.status:text('completed')");
    screenshot("02-speak-completed");

    // Captions under the player: the sentence being heard, the word being spoken highlighted
    page.waitForFunction("document.querySelectorAll('#captions span').length > 1");
    String id = jdbc.sql("SELECT id::text FROM requests").query(String.class).single();
    tools.jackson.databind.JsonNode firstWords =
        api.get("/tts/timings/" + id, user.key()).json().path("timings");
    List<String> spoken = new java.util.ArrayList<>();
    long sentenceEnd = -1;
    for (tools.jackson.databind.JsonNode t : firstWords) {
      if (t.path("unit").asString().equals("sentence") && sentenceEnd < 0) {
        sentenceEnd = t.path("end_ms").asLong();
      } else if (t.path("unit").asString().equals("word")
          && t.path("start_ms").asLong() < sentenceEnd) {
        spoken.add(t.path("text").asString());
      }
    }
    assertThat(
            page.evaluate(
                "[...document.querySelectorAll('#captions span')].map(s => s.textContent)"))
        .isEqualTo(spoken);
    page.evaluate(
        "(() => { const s = document.querySelectorAll('#captions span')[1];"
            + " document.getElementById('player').currentTime = (Number(s.dataset.start) + 5) / 1000; })()");
    page.waitForFunction(
        "document.querySelectorAll('#captions span')[1].classList.contains('speaking')");
    assertThat(page.evaluate("document.querySelectorAll('#captions .speaking').length"))
        .isEqualTo(1);
    screenshot("03-captions");

    // The text reached the service with its diacritics, and the key only ever in a header.
    assertThat(jdbc.sql("SELECT text FROM requests").query(String.class).single())
        .isEqualTo(VIETNAMESE);
    assertThat(page.evaluate("Object.keys(sessionStorage)")).isEqualTo(List.of("tts-api-key"));
    assertThat(context.cookies()).isEmpty();
    assertThat(requested).noneMatch(url -> url.contains(user.key()));
    // Progress came over the event stream: the page never polled the status.
    assertThat(requested).anyMatch(r -> r.startsWith("GET ") && r.endsWith("/tts/events"));
    assertThat(requested).noneMatch(r -> r.contains("/tts/status/"));
  }

  @Test
  void a_wrong_key_is_refused_with_a_visible_message() {
    page.navigate(api.base() + "/");
    signIn("not-a-key");
    page.waitForFunction("document.getElementById('sign-in-error').textContent.length > 0");
    assertThat(page.textContent("#sign-in-error")).contains("not valid");
    assertThat(page.isVisible("#app")).isFalse();
    assertThat(page.evaluate("sessionStorage.length")).isEqualTo(0);
    screenshot("03-wrong-key");
  }

  @Test
  void a_queued_request_shows_its_place_in_line_and_can_be_cancelled_from_the_history() {
    TestUser user = newUser("canceller", Caller.Role.USER);
    worker().stop();
    submit(user.key(), Priority.NORMAL);
    String id = submit(user.key(), Priority.NORMAL);
    page.navigate(api.base() + "/");
    signIn(user.key());
    String row = "#history tr[data-request-id='" + id + "']";
    page.waitForSelector(row + " td.status:text('queued')");
    page.waitForSelector(row + " td.status .queue:text('Position 2 in line')");
    screenshot("04-history-queued");
    page.click(row + " button:text('Cancel')");
    page.waitForSelector(row + " td.status:text('cancelled')");
    assertThat(api.get("/tts/status/" + id, user.key()).json().path("status").asString())
        .isEqualTo("cancelled");
  }

  @Test
  void the_admin_page_shows_the_queue_depth_that_redis_holds() {
    TestUser admin = newUser("browser-admin", Caller.Role.ADMIN);
    TestUser user = newUser("queued-user", Caller.Role.USER);
    worker().stop();
    submit(user.key(), Priority.NORMAL);
    submit(user.key(), Priority.NORMAL);
    submit(user.key(), Priority.NORMAL);
    submit(user.key(), Priority.HIGH);
    long normal = redis.sync().xlen(TestQueue.stream(Priority.NORMAL));
    long high = redis.sync().xlen(TestQueue.stream(Priority.HIGH));
    assertThat(normal).isEqualTo(3);

    page.navigate(api.base() + "/admin.html");
    signIn(admin.key());
    page.waitForFunction(
        "document.getElementById('depth-normal').textContent === '" + normal + "'");
    assertThat(page.textContent("#depth-high")).isEqualTo(Long.toString(high));
    assertThat(page.textContent("#depth-low")).isEqualTo("0");
    screenshot("05-admin");

    // A user's key does not open it.
    BrowserContext other = browser.newContext();
    Page userPage = other.newPage();
    userPage.navigate(api.base() + "/admin.html");
    userPage.fill("#api-key", user.key());
    userPage.click("#sign-in-form button[type=submit]");
    userPage.waitForFunction("document.getElementById('sign-in-error').textContent.length > 0");
    assertThat(userPage.textContent("#sign-in-error")).contains("admin");
    other.close();
  }

  private void signIn(String key) {
    page.fill("#api-key", key);
    page.press("#api-key", "Enter");
  }

  private String submit(String key, Priority priority) {
    ApiClient.Response response =
        api.post(
            "/tts/request",
            key,
            ApiClient.json(
                Map.of(
                    "text",
                    "Held for the admin page " + System.nanoTime(),
                    "priority",
                    priority.wireName())));
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json().path("request_id").asString();
  }

  private void screenshot(String name) {
    page.screenshot(
        new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
  }
}
