package dev.ttsapi.web;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.web.method.HandlerMethod;

/** Who may call a handler, read from the handler Spring matched for the request. */
enum Access {
  /** Anyone: probes, metrics, static files of the console, the framework's own error page. */
  PUBLIC,
  /** Any valid API key. */
  KEY,
  /** An admin API key. */
  ADMIN;

  private static final String APPLICATION_PACKAGE = "dev.ttsapi.";

  static Access of(Object handler) {
    if (!(handler instanceof HandlerMethod method)) {
      // Static resources of the console (and nothing else of ours) are served by other handlers.
      return PUBLIC;
    }
    if (marked(method, AdminOnly.class)) {
      return ADMIN;
    }
    if (marked(method, PublicEndpoint.class)) {
      return PUBLIC;
    }
    // Every handler of this application needs a key unless it says otherwise; the framework's own
    // (Spring Boot's /error) hold nothing of ours.
    return method.getBeanType().getName().startsWith(APPLICATION_PACKAGE) ? KEY : PUBLIC;
  }

  /** Whether {@code handler} takes its key from outside the Bearer header too. */
  static boolean keyOutsideHeader(Object handler) {
    return handler instanceof HandlerMethod method && marked(method, KeyOutsideHeader.class);
  }

  /** Whether {@code handler} is charged to the submit budget whatever its HTTP method. */
  static boolean submitBudget(Object handler) {
    return handler instanceof HandlerMethod method
        && method.hasMethodAnnotation(SubmitBudget.class);
  }

  /** Whether {@code handler} takes a {@link Budgeted} argument: it checks its budget itself. */
  static boolean checksItsBudget(Object handler) {
    if (!(handler instanceof HandlerMethod method)) {
      return false;
    }
    for (var parameter : method.getMethodParameters()) {
      if (parameter.getParameterType() == Budgeted.class) {
        return true;
      }
    }
    return false;
  }

  private static boolean marked(
      HandlerMethod method, Class<? extends java.lang.annotation.Annotation> annotation) {
    return method.hasMethodAnnotation(annotation)
        || AnnotatedElementUtils.hasAnnotation(method.getBeanType(), annotation);
  }
}
