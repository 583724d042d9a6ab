package dev.ttsapi.support;

import dev.ttsapi.TtsApiApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service with the test engines ({@link TestEngines}) among its voices: the main class of the
 * worker processes that process tests start and kill, and of their in-test nodes.
 */
public final class TestEnginesApplication {

  private TestEnginesApplication() {}

  public static void main(String[] args) {
    run(args);
  }

  public static ConfigurableApplicationContext run(String... args) {
    return new SpringApplicationBuilder(TtsApiApplication.class, TestEngines.class).run(args);
  }
}
