package dev.ttsapi.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The examples of the OpenAPI document, by operation ({@code "POST /tts/request"}): a request body
 * ({@code body}) or query parameters ({@code parameters}), each a request the service accepts (a
 * test sends every one). Kept in {@code openapi/examples.json} beside the code rather than in
 * annotations, so a controller stays readable; an example naming no operation makes the document
 * fail to generate, which {@code OpenApiDocumentTest} reports.
 *
 * @param byOperation "METHOD path" → example
 */
record ApiExamples(Map<String, Entry> byOperation) {

  static final String RESOURCE = "openapi/examples.json";

  /**
   * @param summary one line saying what the example does
   * @param body the request body (JSON, or a form's fields), or null
   * @param parameters query parameters by name, or null
   */
  record Entry(String summary, Object body, Map<String, Object> parameters) {}

  static ApiExamples load() {
    try (InputStream in = ApiExamples.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      Map<String, Entry> entries = new LinkedHashMap<>();
      ObjectMapper json = new ObjectMapper();
      json.readTree(in)
          .properties()
          .forEach(
              e ->
                  entries.put(
                      e.getKey(),
                      new Entry(
                          e.getValue().path("summary").asText(e.getKey()),
                          e.getValue().has("body")
                              ? json.convertValue(e.getValue().get("body"), Object.class)
                              : null,
                          e.getValue().has("parameters")
                              ? json.convertValue(
                                  e.getValue().get("parameters"),
                                  json.getTypeFactory()
                                      .constructMapType(
                                          LinkedHashMap.class, String.class, Object.class))
                              : null)));
      return new ApiExamples(Map.copyOf(entries));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + RESOURCE, e);
    }
  }
}
