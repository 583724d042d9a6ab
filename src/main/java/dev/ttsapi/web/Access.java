package dev.ttsapi.web;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

  /**
   * What the annotations say of each handler, read once: every call asks up to ten times (the key
   * and the budget interceptors), and Spring hands each call a new {@link HandlerMethod} of the
   * same method and bean type. Bounded by the application's handler methods.
   */
  private static final Map<Handler, Traits> TRAITS = new ConcurrentHashMap<>();

  private record Handler(Class<?> beanType, Method method) {}

  private record Traits(
      Access access, boolean keyOutsideHeader, boolean submitBudget, boolean checksItsBudget) {}

  static Access of(Object handler) {
    // Static resources of the console (and nothing else of ours) are served by other handlers.
    return handler instanceof HandlerMethod method ? traits(method).access() : PUBLIC;
  }

  /** Whether {@code handler} takes its key from outside the Bearer header too. */
  static boolean keyOutsideHeader(Object handler) {
    return handler instanceof HandlerMethod method && traits(method).keyOutsideHeader();
  }

  /** Whether {@code handler} is charged to the submit budget whatever its HTTP method. */
  static boolean submitBudget(Object handler) {
    return handler instanceof HandlerMethod method && traits(method).submitBudget();
  }

  /** Whether {@code handler} takes a {@link Budgeted} argument: it checks its budget itself. */
  static boolean checksItsBudget(Object handler) {
    return handler instanceof HandlerMethod method && traits(method).checksItsBudget();
  }

  private static Traits traits(HandlerMethod method) {
    return TRAITS.computeIfAbsent(
        new Handler(method.getBeanType(), method.getMethod()),
        h ->
            new Traits(
                accessOf(method),
                marked(method, KeyOutsideHeader.class),
                method.hasMethodAnnotation(SubmitBudget.class),
                takesBudgeted(method)));
  }

  private static Access accessOf(HandlerMethod method) {
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

  private static boolean takesBudgeted(HandlerMethod method) {
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
