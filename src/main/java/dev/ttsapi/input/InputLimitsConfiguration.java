package dev.ttsapi.input;

import java.util.List;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/** Limits on request bodies: size (a servlet filter, first in the chain) and JSON depth. */
@Configuration(proxyBeanMethods = false)
class InputLimitsConfiguration {

  @Bean
  FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(InputProperties input) {
    var registration =
        new FilterRegistrationBean<>(new BodySizeLimitFilter(input.maxBodySize().toBytes()));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }

  /**
   * The application's JSON mapper, built as Spring Boot builds it (every {@link
   * JsonMapperBuilderCustomizer} applied, so {@code spring.jackson.*} still holds) but on a factory
   * whose parser refuses nesting deeper than {@code tts.input.max-json-depth}. A deeper body fails
   * to parse and answers 400 like any malformed body. Jackson can set these constraints only on the
   * factory, which a customizer cannot replace.
   */
  @Bean
  JsonMapper jsonMapper(InputProperties input, List<JsonMapperBuilderCustomizer> customizers) {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(input.maxJsonDepth()).build())
            .build();
    JsonMapper.Builder builder = new JsonMapper.Builder(factory);
    customizers.forEach(c -> c.customize(builder));
    return builder.build();
  }
}
