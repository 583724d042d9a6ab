package dev.ttsapi.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ttsapi.support.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.TestPropertySource;

/**
 * Runs ops/check-prometheus.sh against this test's running service: a real Prometheus, with the
 * shipped scrape config, scrapes /metrics on the node's management port, loads and evaluates the
 * alert rules, and runs the dashboard's queries. Skipped where the Debian package {@code
 * prometheus} (prometheus, promtool) is not installed.
 */
@TestPropertySource(properties = "management.server.port=0")
class PrometheusCheckTest extends IntegrationTest {

  @LocalManagementPort int managementPort;

  @Test
  void a_real_prometheus_scrapes_metrics_and_evaluates_the_shipped_rules() throws Exception {
    assumeTrue(
        StoreProbeTest.onPath("prometheus") && StoreProbeTest.onPath("promtool"),
        "prometheus is not installed (apt-get install prometheus)");
    assumeTrue(StoreProbeTest.onPath("jq") && StoreProbeTest.onPath("curl"), "needs jq and curl");

    Process check =
        new ProcessBuilder("bash", "ops/check-prometheus.sh", "127.0.0.1:" + managementPort)
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
