package dev.ttsapi.observability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class ProfileEndpointTest extends IntegrationTest {

  @Test
  void an_admin_gets_a_jfr_profile_the_jdks_jfr_tool_reads() throws Exception {
    TestUser admin = newUser("profile-admin", Caller.Role.ADMIN);

    ApiClient.Response response = api.post("/admin/profile?seconds=1", admin.key(), "", null);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Disposition")).contains(".jfr");
    Path file = Files.createTempFile("profile-test", ".jfr");
    try {
      Files.write(file, response.body());
      Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
      Process summary =
          new ProcessBuilder(jfr.toString(), "summary", file.toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(summary.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(summary.waitFor()).as(output).isZero();
      assertThat(output).contains("jdk.ExecutionSample");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void profiling_is_for_admins_with_bounded_seconds() {
    TestUser user = newUser("profile-user", Caller.Role.USER);
    TestUser admin = newUser("profile-admin2", Caller.Role.ADMIN);

    assertThat(api.post("/admin/profile?seconds=1", user.key(), "", null).status()).isEqualTo(403);
    assertThat(api.post("/admin/profile?seconds=0", admin.key(), "", null).status()).isEqualTo(400);
    ApiClient.Response tooLong = api.post("/admin/profile?seconds=121", admin.key(), "", null);
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.header("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void a_second_profile_while_one_records_is_a_conflict() {
    TestUser admin = newUser("profile-admin3", Caller.Role.ADMIN);
    CompletableFuture<ApiClient.Response> first =
        CompletableFuture.supplyAsync(
            () -> new ApiClient(port).post("/admin/profile?seconds=6", admin.key(), "", null));

    // Until the first has started, a probe may itself record (1 s); once it has, it is refused.
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.post("/admin/profile?seconds=1", admin.key(), "", null).status() == 409);

    assertThat(first.join().status()).isEqualTo(200);
  }
}
