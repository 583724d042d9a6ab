package dev.ttsapi.web;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A refusal a handler throws, answered by {@link ProblemAdvice} as problem details of its {@link
 * ProblemType}, with any extra properties and a {@code Retry-After} when asking again later will
 * help.
 */
public class Problem extends RuntimeException {

  private final ProblemType type;
  private final HttpStatus status;
  private final Map<String, Object> properties = new LinkedHashMap<>();
  private Duration retryAfter;

  public Problem(ProblemType type, String detail) {
    this(type, type.status(), detail);
  }

  public Problem(ProblemType type, HttpStatus status, String detail) {
    super(detail);
    this.type = type;
    this.status = status;
  }

  /** Adds a property to the problem details (a field name, the limits that apply…). */
  public Problem with(String name, Object value) {
    properties.put(name, value);
    return this;
  }

  /** Tells the client when the same request may succeed. */
  public Problem retryAfter(Duration after) {
    this.retryAfter = after;
    return this;
  }

  public ProblemType type() {
    return type;
  }

  public HttpStatus status() {
    return status;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  public Map<String, Object> properties() {
    return Collections.unmodifiableMap(properties);
  }

  /** The problem details this answers with. */
  public ProblemDetail detail() {
    ProblemDetail detail = type.detail(status, getMessage());
    properties.forEach(detail::setProperty);
    return detail;
  }
}
