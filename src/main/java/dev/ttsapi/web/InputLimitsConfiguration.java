package dev.ttsapi.web;

import java.util.List;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Limits on request bodies: size (a servlet filter, first in the chain), JSON depth, and strict
 * JSON types.
 */
@Configuration(proxyBeanMethods = false)
class InputLimitsConfiguration {

  @Bean
  FilterRegistrationBean<BodyLimitsFilter> bodyLimitsFilter(
      InputProperties input, JsonMapper json) {
    var registration =
        new FilterRegistrationBean<>(
            new BodyLimitsFilter(input.maxBodySize().toBytes(), input.largestBodyBytes(), json));
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
    strictTypes(builder);
    return builder.build();
  }

  /**
   * A field takes only its own JSON type: {@code "text": 12345} or {@code "speed": "1.5"} is a
   * malformed body (400), not silently converted. A client that sends the wrong type has a bug that
   * it should hear about, and a number quietly spoken as text is not what anyone meant.
   */
  static void strictTypes(JsonMapper.Builder builder) {
    builder
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .withCoercionConfig(
            LogicalType.Textual,
            config ->
                config
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
  }
}
