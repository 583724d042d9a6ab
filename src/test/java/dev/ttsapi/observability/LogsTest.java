package dev.ttsapi.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.support.ApplicationYaml;
import dev.ttsapi.support.IntegrationTest;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class LogsTest extends IntegrationTest {

  @Test
  void log_format_json_turns_on_structured_ecs_logs_and_text_is_the_default() throws IOException {
    assertThat(structuredFormat(Map.of("LOG_FORMAT", "json"))).isEqualTo("ecs");
    assertThat(structuredFormat(Map.of("LOG_FORMAT", "text"))).isEmpty();
    assertThat(structuredFormat(Map.of())).isEmpty();
  }

  @Test
  void every_response_carries_its_request_id_and_a_sane_client_id_is_kept() {
    String generated = api.get("/health", null).header("X-Request-Id");
    assertThat(generated).isNotBlank();
    assertThat(api.get("/health", null, "X-Request-Id", "client-42").header("X-Request-Id"))
        .isEqualTo("client-42");
    assertThat(
            api.get("/health", null, "X-Request-Id", "bad id with spaces").header("X-Request-Id"))
        .isNotEqualTo("bad id with spaces");
  }

  private static String structuredFormat(Map<String, Object> env) throws IOException {
    StandardEnvironment environment = ApplicationYaml.environment();
    environment.getPropertySources().addFirst(new MapPropertySource("env", env));
    return environment.getProperty("logging.structured.format.console");
  }
}
