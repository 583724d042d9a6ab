package dev.ttsapi.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ttsapi.support.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs ops/check-prometheus.sh against this test's running service: a real Prometheus scrapes its
 * /metrics, loads and evaluates the alert rules, and runs the dashboard's queries. Skipped where
 * the Debian package {@code prometheus} (prometheus, promtool) is not installed.
 */
class PrometheusCheckTest extends IntegrationTest {

  @Test
  void a_real_prometheus_scrapes_metrics_and_evaluates_the_shipped_rules() throws Exception {
    assumeTrue(
        StoreProbeTest.onPath("prometheus") && StoreProbeTest.onPath("promtool"),
        "prometheus is not installed (apt-get install prometheus)");
    assumeTrue(StoreProbeTest.onPath("jq") && StoreProbeTest.onPath("curl"), "needs jq and curl");

    Process check =
        new ProcessBuilder("bash", "ops/check-prometheus.sh", "127.0.0.1:" + port)
            .redirectErrorStream(true)
            .start();
    boolean finished = check.waitFor(180, TimeUnit.SECONDS);
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!finished) {
      check.destroyForcibly();
    }

    assertThat(finished).as(output).isTrue();
    assertThat(check.exitValue()).as(output).isZero();
    assertThat(output).contains("Prometheus scraped");
  }
}
