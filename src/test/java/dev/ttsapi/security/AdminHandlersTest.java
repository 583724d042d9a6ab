package dev.ttsapi.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.support.ApiClient;
import dev.ttsapi.support.IntegrationTest;
import dev.ttsapi.support.Problems;
import dev.ttsapi.web.Admin;
import dev.ttsapi.web.AdminOnly;
import dev.ttsapi.web.PublicEndpoint;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every handler of the application, found by walking Spring's own handler mappings, refuses the
 * callers it must: an admin handler refuses an ordinary key (403) and no key (401), and says so by
 * its annotation and its {@link Admin} argument; every other handler of ours needs a key unless it
 * is marked public. So an endpoint added later cannot forget its check: it fails here.
 */
class AdminHandlersTest extends IntegrationTest {

  /** Paths that show the node's or other users' internals: admin only, whatever else changes. */
  private static final Set<String> ADMIN_PATH_PREFIXES = Set.of("/admin/", "/health/detailed");

  /** Handlers that answer without a key, and why. */
  private static final Set<String> PUBLIC_PATHS =
      Set.of(
          "/health", // load balancers' cheap check
          "/health/live", // orchestrator probes
          "/health/ready",
          "/metrics", // Prometheus
          "/error", // the container's error page
          // The OpenAPI document and its page: they describe the API and hold no data (springdoc)
          "/openapi.json",
          "/openapi.json.yaml",
          "/openapi.json/swagger-config",
          "/docs");

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  /**
   * @param contentType what the handler takes: JSON, unless it consumes something else only (a
   *     MaryTTS form); a body of another type would be refused (415) before any key check
   */
  record Endpoint(String method, String path, HandlerMethod handler, String contentType) {}

  @Test
  void every_admin_handler_refuses_an_ordinary_key_and_no_key_and_checks_the_role_itself() {
    TestUser user = newUser("ordinary", Caller.Role.USER);
    List<Endpoint> admin = endpoints().stream().filter(e -> isAdmin(e.handler())).toList();

    assertThat(admin)
        .extracting(Endpoint::path)
        .contains(
            "/admin/users",
            "/admin/users/{id}/keys",
            "/admin/users/{id}/limits",
            "/admin/keys/{id}",
            "/admin/usage",
            "/admin/profile",
            "/admin/console/overview",
            "/health/detailed");
    for (Endpoint endpoint : admin) {
      assertThat(
              Arrays.stream(endpoint.handler().getMethodParameters())
                  .anyMatch(p -> p.getParameterType() == Admin.class))
          .as("%s %s takes an Admin argument", endpoint.method(), endpoint.path())
          .isTrue();
      String path = concrete(endpoint.path(), user.caller().userId().toString());
      Problems.assertProblem(call(endpoint, path, null), 401, "unauthenticated");
      Problems.assertProblem(call(endpoint, path, user.key()), 403, "forbidden");
    }
  }

  @Test
  void every_handler_under_an_admin_path_is_marked_admin_only() {
    for (Endpoint endpoint : endpoints()) {
      if (ADMIN_PATH_PREFIXES.stream().anyMatch(endpoint.path()::startsWith)) {
        assertThat(isAdmin(endpoint.handler()))
            .as("%s %s is @AdminOnly", endpoint.method(), endpoint.path())
            .isTrue();
      }
    }
  }

  @Test
  void every_other_handler_of_ours_needs_a_key_unless_it_is_one_of_the_few_public_ones() {
    List<String> publicOnes = new ArrayList<>();
    for (Endpoint endpoint : endpoints()) {
      if (isAdmin(endpoint.handler())) {
        continue;
      }
      if (isPublic(endpoint.handler())) {
        publicOnes.add(endpoint.path());
        continue;
      }
      String path = concrete(endpoint.path(), "01a2f000-0000-7000-8000-000000000000");
      Problems.assertProblem(call(endpoint, path, null), 401, "unauthenticated");
      Problems.assertProblem(call(endpoint, path, "tts_not-a-key"), 401, "unauthenticated");
    }
    assertThat(publicOnes).isSubsetOf(PUBLIC_PATHS);
  }

  private List<Endpoint> endpoints() {
    List<Endpoint> endpoints = new ArrayList<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> entry :
        mappings.getHandlerMethods().entrySet()) {
      RequestMappingInfo info = entry.getKey();
      Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
      Set<org.springframework.http.MediaType> consumes =
          info.getConsumesCondition().getConsumableMediaTypes();
      String contentType =
          consumes.isEmpty()
                  || consumes.contains(org.springframework.http.MediaType.APPLICATION_JSON)
              ? "application/json"
              : consumes.iterator().next().toString();
      List<String> verbs =
          methods.isEmpty() ? List.of("GET", "POST") : methods.stream().map(Enum::name).toList();
      for (String path : info.getPatternValues()) {
        for (String verb : verbs) {
          endpoints.add(new Endpoint(verb, path, entry.getValue(), contentType));
        }
      }
    }
    assertThat(endpoints).hasSizeGreaterThan(20);
    return endpoints;
  }

  private static boolean isAdmin(HandlerMethod handler) {
    return handler.hasMethodAnnotation(AdminOnly.class)
        || AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), AdminOnly.class);
  }

  private static boolean isPublic(HandlerMethod handler) {
    return handler.hasMethodAnnotation(PublicEndpoint.class)
        || AnnotatedElementUtils.hasAnnotation(handler.getBeanType(), PublicEndpoint.class)
        || !handler.getBeanType().getName().startsWith("dev.ttsapi.");
  }

  /** The pattern with every {@code {variable}} filled in. */
  private static String concrete(String pattern, String value) {
    return pattern.replaceAll("\\{[^}]+}", value);
  }

  private ApiClient.Response call(Endpoint endpoint, String path, String key) {
    String body =
        endpoint.contentType().equals("application/json")
            ? "{\"name\":\"evil\",\"role\":\"admin\"}"
            : "name=evil&role=admin";
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api.base() + path))
            .method(endpoint.method(), BodyPublishers.ofString(body))
            .header("Content-Type", endpoint.contentType());
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return api.send(request);
  }
}
