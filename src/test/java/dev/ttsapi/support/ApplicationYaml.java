package dev.ttsapi.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

/**
 * application.yaml alone, as a service started with no environment variable and no system property
 * reads it: for tests of the defaults it documents.
 */
public final class ApplicationYaml {

  private ApplicationYaml() {}

  /** An environment holding only application.yaml (its {@code ${VAR:default}}s fall back). */
  public static StandardEnvironment environment() {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    environment
        .getPropertySources()
        .remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
    try {
      new YamlPropertySourceLoader()
          .load("application", new ClassPathResource("application.yaml"))
          .forEach(environment.getPropertySources()::addLast);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return environment;
  }

  public static Binder binder() {
    return Binder.get(environment());
  }
}
