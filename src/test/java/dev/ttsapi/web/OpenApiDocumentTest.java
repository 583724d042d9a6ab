package dev.ttsapi.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.ExampleHosts;
import dev.ttsapi.support.IntegrationTest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document at {@code /openapi.json} is complete and true: every handler of the
 * application (found by walking Spring's own handler mappings, so an endpoint added later is
 * caught) is in it with the security it really has, every problem type is listed, every operation
 * that takes a body shows an example, and every example is a request the running service accepts.
 * {@code /docs} serves Swagger UI from the jar, loading nothing from another host.
 */
@Import(ExampleHosts.class)
class OpenApiDocumentTest extends IntegrationTest {

  /** The container's error page: a handler of ours, but no operation a client calls. */
  private static final Set<String> NOT_OPERATIONS = Set.of("/error");

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  @Test
  void the_document_is_openapi_3_1_and_public() throws java.io.IOException {
    ApiClient.Response response = api.get("/openapi.json", null);

    assertThat(response.status()).as(response.text()).isEqualTo(200);
    assertThat(response.json().path("openapi").asString()).startsWith("3.1");
    assertThat(response.json().path("info").path("title").asString()).isEqualTo("tts-api");
    assertThat(
            response
                .json()
                .path("paths")
                .path("/tts/batches")
                .path("post")
                .path("parameters")
                .findValuesAsString("name"))
        .as("the key is the security requirement, not a parameter")
        .doesNotContain("Authorization");
    assertThat(
            response
                .json()
                .path("components")
                .path("schemas")
                .path("SubmitBody")
                .path("properties")
                .has("voice_settings"))
        .as("property names as on the wire")
        .isTrue();
    // The document as the tests saw it, for a look or a client generator.
    java.nio.file.Files.write(java.nio.file.Path.of("target", "openapi.json"), response.body());
  }

  @Test
  void every_handler_of_the_application_is_in_the_document_with_the_access_it_really_has() {
    JsonNode paths = document().path("paths");
    List<String> checked = new ArrayList<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> entry :
        mappings.getHandlerMethods().entrySet()) {
      HandlerMethod handler = entry.getValue();
      if (!handler.getBeanType().getName().startsWith("dev.ttsapi.")) {
        continue; // springdoc's own, Spring Boot's
      }
      Set<RequestMethod> methods = entry.getKey().getMethodsCondition().getMethods();
      for (String path : entry.getKey().getPatternValues()) {
        if (NOT_OPERATIONS.contains(path)) {
          continue;
        }
        assertThat(methods).as("%s names its HTTP methods", path).isNotEmpty();
        for (RequestMethod method : methods) {
          String name = method + " " + path;
          JsonNode operation = paths.path(path).path(method.name().toLowerCase(Locale.ROOT));
          assertThat(operation.isObject()).as("%s is in the document", name).isTrue();
          Access access = Access.of(handler);
          JsonNode security = operation.path("security");
          switch (access) {
            case PUBLIC -> assertThat(security.size()).as("%s needs no key", name).isZero();
            case KEY, ADMIN ->
                assertThat(security.path(0).has(ApiDocument.KEY_SCHEME))
                    .as("%s says it needs a key", name)
                    .isTrue();
          }
          assertThat(operation.path(ApiDocument.ADMIN_ONLY).asBoolean(false))
              .as("%s is marked admin-only exactly when it is", name)
              .isEqualTo(access == Access.ADMIN);
          if (access != Access.PUBLIC) {
            assertThat(operation.path("responses").has("401"))
                .as("%s documents its 401", name)
                .isTrue();
          }
          checked.add(name);
        }
      }
    }
    assertThat(checked).hasSizeGreaterThan(25).contains("POST /tts/request", "GET /process");
  }

  @Test
  void every_operation_taking_a_body_shows_an_example_and_every_problem_type_is_listed() {
    JsonNode document = document();
    document
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        operation -> {
                          JsonNode content =
                              operation.getValue().path("requestBody").path("content");
                          content
                              .properties()
                              .forEach(
                                  media ->
                                      assertThat(media.getValue().path("examples").size())
                                          .as(
                                              "%s %s (%s) has an example body",
                                              operation.getKey(), path.getKey(), media.getKey())
                                          .isPositive());
                        }));
    List<String> listed = new ArrayList<>();
    document
        .path("components")
        .path("schemas")
        .path("Problem")
        .path("properties")
        .path("type")
        .path("enum")
        .forEach(uri -> listed.add(uri.asString()));
    assertThat(listed)
        .containsExactlyInAnyOrderElementsOf(
            java.util.Arrays.stream(ProblemType.values()).map(t -> t.uri().toString()).toList());
  }

  @Test
  void every_example_in_the_document_is_accepted_by_the_running_service() {
    TestUser admin = newUser("docs-admin", Caller.Role.ADMIN);
    TestUser user = newUser("docs-user", Caller.Role.USER);
    List<String> sent = new ArrayList<>();
    document()
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        entry -> {
                          String method = entry.getKey().toUpperCase(Locale.ROOT);
                          JsonNode operation = entry.getValue();
                          String key =
                              operation.path(ApiDocument.ADMIN_ONLY).asBoolean(false)
                                  ? admin.key()
                                  : user.key();
                          String query = queryOf(operation.path("parameters"));
                          boolean hasExamples =
                              !query.isEmpty()
                                  || operation.path("requestBody").path("content").size() > 0;
                          String target =
                              hasExamples
                                  ? concrete(path.getKey(), user.caller().userId().toString())
                                  : path.getKey();
                          operation
                              .path("requestBody")
                              .path("content")
                              .properties()
                              .forEach(
                                  media ->
                                      media
                                          .getValue()
                                          .path("examples")
                                          .forEach(
                                              example -> {
                                                String name =
                                                    method
                                                        + " "
                                                        + path.getKey()
                                                        + " "
                                                        + media.getKey();
                                                ApiClient.Response response =
                                                    send(
                                                        method,
                                                        target + query,
                                                        key,
                                                        media.getKey(),
                                                        example.path("value"));
                                                assertThat(response.status())
                                                    .as("%s: %s", name, response.text())
                                                    .isBetween(200, 299);
                                                sent.add(name);
                                              }));
                          if (!operation.has("requestBody") && !query.isEmpty()) {
                            String name = method + " " + path.getKey() + query;
                            ApiClient.Response response =
                                send(method, target + query, key, null, null);
                            assertThat(response.status())
                                .as("%s: %s", name, response.text())
                                .isBetween(200, 299);
                            sent.add(name);
                          }
                        }));
    assertThat(sent).hasSizeGreaterThan(8);
  }

  @Test
  void docs_page_is_swagger_ui_served_from_the_jar_over_this_document() {
    ApiClient.Response page = followed("/docs");
    assertThat(page.status()).as(page.text()).isEqualTo(200);
    assertThat(page.text()).contains("swagger-ui");
    assertNoOtherHost(page.text());

    // The page's script and its configuration, each served here.
    ApiClient.Response initializer = followed("/swagger-ui/swagger-initializer.js");
    assertThat(initializer.status()).isEqualTo(200);
    assertNoOtherHost(initializer.text());
    assertThat(followed("/swagger-ui/swagger-ui-bundle.js").status()).isEqualTo(200);
    ApiClient.Response config = followed("/openapi.json/swagger-config");
    assertThat(config.status()).as(config.text()).isEqualTo(200);
    assertThat(config.json().path("url").asString()).isEqualTo("/openapi.json");
  }

  /** No script, style or document loaded from anywhere but this service. */
  private static void assertNoOtherHost(String text) {
    Matcher external =
        Pattern.compile("(?:src|href)\\s*=\\s*[\"']?(?:https?:)?//", Pattern.CASE_INSENSITIVE)
            .matcher(text);
    assertThat(external.find()).as("loads something from another host:\n%s", text).isFalse();
  }

  private ApiClient.Response followed(String path) {
    ApiClient.Response response = api.get(path, null);
    for (int hops = 0; hops < 5 && response.status() / 100 == 3; hops++) {
      String location = response.header("Location");
      URI next = URI.create(api.base() + path).resolve(location);
      path = next.getRawPath() + (next.getRawQuery() == null ? "" : "?" + next.getRawQuery());
      response = api.get(path, null);
    }
    return response;
  }

  private JsonNode document() {
    ApiClient.Response response = api.get("/openapi.json", null);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.json();
  }

  /**
   * The path with its variables filled in. Of the paths with variables, the admin's user paths have
   * examples, their {@code {id}} a user's, and a lexicon's upload, its {@code {name}} any valid
   * name; a new one fails here until it has a value.
   */
  private static String concrete(String path, String userId) {
    String filled = path.startsWith("/admin/users/{id}") ? path.replace("{id}", userId) : path;
    filled =
        filled.startsWith("/tts/lexicons/{name}") ? filled.replace("{name}", "places") : filled;
    assertThat(filled).as("a value for the path variables of %s", path).doesNotContain("{");
    return filled;
  }

  private static String queryOf(JsonNode parameters) {
    List<String> pairs = new ArrayList<>();
    for (JsonNode parameter : parameters) {
      if ("query".equals(parameter.path("in").asString()) && parameter.has("example")) {
        pairs.add(
            encode(parameter.path("name").asString())
                + "="
                + encode(parameter.path("example").asString()));
      }
    }
    return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
  }

  private ApiClient.Response send(
      String method, String target, String key, String mediaType, JsonNode body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + target));
    if (body == null) {
      request.method(method, BodyPublishers.noBody());
    } else if (mediaType.startsWith("application/x-www-form-urlencoded")) {
      String form =
          body.properties().stream()
              .map(f -> encode(f.getKey()) + "=" + encode(f.getValue().asString()))
              .collect(Collectors.joining("&"));
      request.method(method, BodyPublishers.ofString(form)).header("Content-Type", mediaType);
    } else {
      request
          .method(method, BodyPublishers.ofString(ApiClient.json(body)))
          .header("Content-Type", mediaType);
    }
    request.header("Authorization", "Bearer " + key);
    return api.send(request);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
