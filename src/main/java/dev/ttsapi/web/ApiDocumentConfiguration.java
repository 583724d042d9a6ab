package dev.ttsapi.web;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.ttsapi.auth.Caller;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.providers.ObjectMapperProvider;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /openapi.json} (and its page at {@code /docs}): springdoc reads
 * the controllers; {@link ApiDocument} adds what it cannot see there, from the same rules the
 * service runs by: who may call each operation ({@link Access}), the problem types ({@link
 * ProblemType}) and one example per input ({@code openapi/examples.json}).
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentConfiguration {

  static {
    // Resolved from the API key by CallerArgumentResolver, never sent as a parameter.
    SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class, Admin.class, Budgeted.class);
  }

  @Bean
  OpenAPI apiDocumentBase(@Value("${tts.api-version:0.1.0}") String version) {
    return new OpenAPI()
        .info(
            new Info()
                .title("tts-api")
                .version(version)
                .description(
                    """
                    Text-to-speech over HTTP: submit text (`POST /tts/request`), poll its status \
                    and download the audio; stream speech OpenAI's way (`POST /v1/audio/speech`); \
                    or speak MaryTTS's HTTP protocol (`/process`).

                    **Keys.** Every operation needs an API key, sent as \
                    `Authorization: Bearer <key>`, unless it lists no security requirement \
                    (health probes, this document). Operations marked `x-admin-only` need an \
                    admin's key; any other key gets 403.

                    **Errors** are RFC 9457 problem details (`application/problem+json`); \
                    branch on `type`, one of the URIs listed in the `Problem` schema."""))
        .components(
            new Components()
                .addSecuritySchemes(
                    ApiDocument.KEY_SCHEME,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("An API key an admin issued (POST /admin/users/{id}/keys)")));
  }

  /**
   * Property names as the service writes them (snake_case, spring.jackson's naming strategy);
   * springdoc reads the records with a Jackson of its own that would say camelCase.
   */
  @Bean
  ModelResolver snakeCaseModels(ObjectMapperProvider mappers) {
    return new ModelResolver(
            mappers
                .jsonMapper()
                .copy()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE))
        .openapi31(mappers.isOpenapi31());
  }

  @Bean
  ApiDocument apiDocument() {
    return new ApiDocument(ApiExamples.load());
  }

  @Bean
  OperationCustomizer accessAndProblems(ApiDocument document) {
    return document::describe;
  }

  @Bean
  OpenApiCustomizer problemTypesAndExamples(ApiDocument document) {
    return document::complete;
  }
}
