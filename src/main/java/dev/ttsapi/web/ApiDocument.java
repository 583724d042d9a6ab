package dev.ttsapi.web;

import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;

/**
 * What the OpenAPI document says beyond what springdoc reads from the controllers, derived from the
 * rules the service runs by so the two cannot drift apart: each operation's security requirement
 * from {@link Access} (the same decision {@link ApiKeyInterceptor} makes), the problem answers it
 * can give, every {@link ProblemType} in the {@code Problem} schema, and the examples of {@link
 * ApiExamples}.
 */
final class ApiDocument {

  static final String KEY_SCHEME = "apiKey";

  /** Marks operations only an admin's key may call. */
  static final String ADMIN_ONLY = "x-admin-only";

  static final String PROBLEM_MEDIA_TYPE = "application/problem+json";
  private static final String PROBLEM_SCHEMA = "Problem";

  /** The shared problem answers, by status: the name under components/responses. */
  private enum Refusal {
    BAD_REQUEST("400", "BadRequest", "The request is invalid", ProblemType.INVALID_REQUEST),
    UNAUTHENTICATED(
        "401", "Unauthenticated", "No API key, or not a valid one", ProblemType.UNAUTHENTICATED),
    FORBIDDEN("403", "Forbidden", "The key is not an admin's", ProblemType.FORBIDDEN),
    NOT_FOUND("404", "NotFound", "No such resource of the caller's", ProblemType.NOT_FOUND),
    TOO_MANY(
        "429",
        "TooManyRequests",
        "A per-minute budget or the daily quota is spent; see Retry-After",
        ProblemType.RATE_LIMITED),
    UNAVAILABLE(
        "503",
        "Unavailable",
        "The queue is full or a store is down; see Retry-After",
        ProblemType.SERVICE_UNAVAILABLE);

    final String status;
    final String name;
    final String description;
    final ProblemType example;

    Refusal(String status, String name, String description, ProblemType example) {
      this.status = status;
      this.name = name;
      this.description = description;
      this.example = example;
    }

    ApiResponse reference() {
      return new ApiResponse().$ref("#/components/responses/" + name);
    }
  }

  private final ApiExamples examples;

  ApiDocument(ApiExamples examples) {
    this.examples = examples;
  }

  /** One operation: its id, tag, who may call it and the problems it may answer with. */
  Operation describe(Operation operation, HandlerMethod handler) {
    operation.setOperationId(operationId(handler));
    Access access = Access.of(handler);
    operation.setTags(List.of(tag(handler, access)));
    ApiResponses responses =
        operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
    if (takesInput(handler)) {
      responses.addApiResponse(Refusal.BAD_REQUEST.status, Refusal.BAD_REQUEST.reference());
    }
    if (hasPathVariable(handler)) {
      responses.addApiResponse(Refusal.NOT_FOUND.status, Refusal.NOT_FOUND.reference());
    }
    switch (access) {
      case PUBLIC -> operation.setSecurity(List.of()); // explicitly none
      case KEY -> {
        operation.setSecurity(List.of(new SecurityRequirement().addList(KEY_SCHEME)));
        responses.addApiResponse(
            Refusal.UNAUTHENTICATED.status, Refusal.UNAUTHENTICATED.reference());
        responses.addApiResponse(Refusal.TOO_MANY.status, Refusal.TOO_MANY.reference());
        responses.addApiResponse(Refusal.UNAVAILABLE.status, Refusal.UNAVAILABLE.reference());
      }
      case ADMIN -> {
        operation.setSecurity(List.of(new SecurityRequirement().addList(KEY_SCHEME)));
        operation.addExtension(ADMIN_ONLY, true);
        String said = operation.getDescription();
        operation.setDescription(
            "Needs an admin's API key." + (said == null || said.isBlank() ? "" : "\n\n" + said));
        responses.addApiResponse(
            Refusal.UNAUTHENTICATED.status, Refusal.UNAUTHENTICATED.reference());
        responses.addApiResponse(Refusal.FORBIDDEN.status, Refusal.FORBIDDEN.reference());
      }
    }
    if (operation.getParameters() != null) {
      // A handler reading the key itself (a batch charges per key) shows it as a header parameter;
      // the security requirement says it already, and a generated client would ask for it twice.
      operation
          .getParameters()
          .removeIf(
              p ->
                  "header".equals(p.getIn())
                      && HttpHeaders.AUTHORIZATION.equalsIgnoreCase(p.getName()));
    }
    operation.setResponses(responses);
    return operation;
  }

  /** The whole document: the Problem schema, the shared problem answers and the examples. */
  void complete(OpenAPI api) {
    Components components = api.getComponents();
    if (components.getSchemas() != null) {
      // Spring's ProblemDetail, seen on /error's signature: ours is the Problem schema below.
      components.getSchemas().remove("ProblemDetail");
    }
    components.addSchemas(PROBLEM_SCHEMA, problemSchema());
    for (Refusal refusal : Refusal.values()) {
      components.addResponses(
          refusal.name,
          new ApiResponse()
              .description(refusal.description)
              .content(
                  new Content()
                      .addMediaType(
                          PROBLEM_MEDIA_TYPE,
                          new MediaType()
                              .schema(
                                  new JsonSchema().$ref("#/components/schemas/" + PROBLEM_SCHEMA))
                              .example(problemExample(refusal.example)))));
    }
    addExamples(api);
  }

  private void addExamples(OpenAPI api) {
    Set<String> unused = new HashSet<>(examples.byOperation().keySet());
    api.getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .forEach(
                        (method, operation) -> {
                          String key = method.name() + " " + path;
                          ApiExamples.Entry example = examples.byOperation().get(key);
                          if (example != null) {
                            unused.remove(key);
                            apply(key, example, operation);
                          }
                        }));
    if (!unused.isEmpty()) {
      throw new IllegalStateException(
          ApiExamples.RESOURCE + " has examples for operations that do not exist: " + unused);
    }
  }

  private static void apply(String key, ApiExamples.Entry example, Operation operation) {
    if (example.body() != null) {
      if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
        throw new IllegalStateException(key + " has an example body but takes none");
      }
      operation
          .getRequestBody()
          .getContent()
          .values()
          .forEach(
              media ->
                  media.addExamples(
                      "example", new Example().summary(example.summary()).value(example.body())));
    }
    if (example.parameters() != null) {
      List<Parameter> parameters =
          operation.getParameters() == null ? List.of() : operation.getParameters();
      example
          .parameters()
          .forEach(
              (name, value) ->
                  parameters.stream()
                      .filter(p -> p.getName().equals(name))
                      .findFirst()
                      .orElseThrow(
                          () ->
                              new IllegalStateException(
                                  key + " has no parameter '" + name + "' for its example"))
                      .setExample(value));
    }
  }

  private static Schema<?> problemSchema() {
    List<String> types = new ArrayList<>();
    StringBuilder table = new StringBuilder();
    List<Map<String, Object>> listed = new ArrayList<>();
    for (ProblemType type : ProblemType.values()) {
      types.add(type.uri().toString());
      table
          .append("\n- `")
          .append(type.uri())
          .append("`: ")
          .append(type.status().value())
          .append(' ')
          .append(type.title());
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("type", type.uri().toString());
      entry.put("status", type.status().value());
      entry.put("title", type.title());
      listed.add(entry);
    }
    Schema<Object> typeUri = string("A stable URI naming the kind of problem; branch on it");
    typeUri.setFormat("uri");
    typeUri.setEnum(new ArrayList<>(types));
    Schema<Object> fieldError =
        object("One invalid field")
            .addProperty("field", string("The field, as sent (snake_case, items[i].field)"))
            .addProperty("message", string("What is wrong with it"));
    Schema<Object> errors = new JsonSchema();
    errors.addType("array");
    errors.setItems(fieldError);
    errors.setDescription("Each invalid field (invalid-request)");
    Schema<Object> status = new JsonSchema();
    status.addType("integer");
    status.setDescription("The HTTP status");
    Schema<Object> problem =
        object("RFC 9457 problem details. The types:" + table)
            .addProperty("type", typeUri)
            .addProperty("title", string("The type's short title"))
            .addProperty("status", status)
            .addProperty("detail", string("What went wrong this time, for a person"))
            .addProperty("instance", string("The path of the request"))
            .addProperty("errors", errors);
    problem.setRequired(List.of("type", "title", "status"));
    // Some types add properties (limit, retry hints, available_voices…).
    problem.setAdditionalProperties(true);
    problem.addExtension("x-problem-types", listed);
    return problem;
  }

  private static Map<String, Object> problemExample(ProblemType type) {
    Map<String, Object> example = new LinkedHashMap<>();
    example.put("type", type.uri().toString());
    example.put("title", type.title());
    example.put("status", type.status().value());
    example.put("detail", type.title());
    return example;
  }

  private static Schema<Object> object(String description) {
    Schema<Object> schema = new JsonSchema();
    schema.addType("object");
    schema.setDescription(description);
    return schema;
  }

  private static Schema<Object> string(String description) {
    Schema<Object> schema = new JsonSchema();
    schema.addType("string");
    schema.setDescription(description);
    return schema;
  }

  private static boolean takesInput(HandlerMethod handler) {
    return Arrays.stream(handler.getMethodParameters())
        .anyMatch(
            p ->
                p.hasParameterAnnotation(RequestBody.class)
                    || p.hasParameterAnnotation(RequestParam.class)
                    || p.hasParameterAnnotation(PathVariable.class)
                    || p.hasParameterAnnotation(RequestHeader.class));
  }

  private static boolean hasPathVariable(HandlerMethod handler) {
    return Arrays.stream(handler.getMethodParameters())
        .anyMatch(p -> p.hasParameterAnnotation(PathVariable.class));
  }

  /** {@code TtsController.submit} → {@code ttsSubmit}: unique, and stable for generated clients. */
  private static String operationId(HandlerMethod handler) {
    String stem = stem(handler);
    String method = handler.getMethod().getName();
    return Character.toLowerCase(stem.charAt(0))
        + stem.substring(1)
        + Character.toUpperCase(method.charAt(0))
        + method.substring(1);
  }

  /**
   * Admin operations together, the public probes together, the rest by controller ({@code @Tag} on
   * it names its group).
   */
  private static String tag(HandlerMethod handler, Access access) {
    Tag named = AnnotatedElementUtils.findMergedAnnotation(handler.getBeanType(), Tag.class);
    if (access == Access.KEY && named != null) {
      return named.name();
    }
    return switch (access) {
      case ADMIN -> "admin";
      case PUBLIC -> "health";
      case KEY -> stem(handler).replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    };
  }

  private static String stem(HandlerMethod handler) {
    return handler.getBeanType().getSimpleName().replaceFirst("Controller$", "");
  }
}
