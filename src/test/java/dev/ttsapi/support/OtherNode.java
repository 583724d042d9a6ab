package dev.ttsapi.support;

import dev.ttsapi.TtsApiApplication;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Another node on the same stores as an {@link IntegrationTest}'s context, on a free port. */
public final class OtherNode {

  private OtherNode() {}

  /** Starts a node with {@code --tts.roles=api} and any further arguments. */
  public static ConfigurableApplicationContext startApiNode(String... moreArgs) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--tts.roles=api",
                "--tts.stores.data-dir=target/test-data",
                "--tts.stores.embedded-durable=false"));
    if (TestStores.reachable(5432)) {
      args.add(
          "--tts.stores.database-url=postgresql://postgres@127.0.0.1:5432/" + TestStores.DATABASE);
    }
    if (TestStores.reachable(TestStores.REDIS_PORT)) {
      args.add("--tts.stores.redis-url=" + TestStores.redisUrl());
    }
    if (List.of(moreArgs).stream().noneMatch(a -> a.contains("warm-up-hot-paths"))) {
      args.add("--tts.observability.warm-up-hot-paths=200ms"); // as IntegrationTest's node
    }
    args.addAll(List.of(moreArgs));
    return new SpringApplicationBuilder(TtsApiApplication.class).run(args.toArray(String[]::new));
  }

  public static ApiClient client(ConfigurableApplicationContext node) {
    return new ApiClient(((WebServerApplicationContext) node).getWebServer().getPort());
  }
}
