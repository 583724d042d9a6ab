package dev.ttsapi.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.stores.StoresProperties;
import dev.ttsapi.support.ApplicationYaml;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The read-routing defaults README promises, and how DATABASE_REPLICA_URLS is read. */
class ReadRoutingDefaultsTest {

  @Test
  void without_replica_urls_there_are_no_replicas_and_writes_are_remembered_five_minutes() {
    Binder binder = ApplicationYaml.binder();
    assertThat(binder.bind("tts.stores", StoresProperties.class).get().databaseReplicaUrls())
        .isEmpty();
    ReadRoutingProperties routing =
        binder.bind("tts.read-routing", ReadRoutingProperties.class).get();
    assertThat(routing.rememberWritesFor()).isEqualTo(Duration.ofMinutes(5));
    assertThat(routing.replicaCheckInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(routing.replicaConnectionTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(routing.replicaReadTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void replica_urls_are_comma_separated_and_blanks_are_ignored() {
    StandardEnvironment environment = ApplicationYaml.environment();
    environment
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "env",
                Map.of(
                    "DATABASE_REPLICA_URLS",
                    "postgresql://u:p@replica-a:5433/tts, postgresql://u:p@replica-b:5433/tts,")));
    assertThat(
            Binder.get(environment)
                .bind("tts.stores", StoresProperties.class)
                .get()
                .databaseReplicaUrls())
        .isEqualTo(
            List.of("postgresql://u:p@replica-a:5433/tts", "postgresql://u:p@replica-b:5433/tts"));
  }
}
