package dev.ttsapi.api;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Every {@code /tts}, {@code /admin} and {@code /health/detailed} call needs {@code Authorization:
 * Bearer <key>}. The caller is found by the key's hash and handed to controllers as a {@link
 * Caller} argument.
 */
class ApiKeyInterceptor implements HandlerInterceptor {

  static final String CALLER_ATTRIBUTE = ApiKeyInterceptor.class.getName() + ".caller";
  private static final String BEARER = "Bearer ";

  private final UserService users;

  ApiKeyInterceptor(UserService users) {
    this.users = users;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (request.getDispatcherType() == DispatcherType.ASYNC) {
      // The end of a stream (GET /tts/events) comes back as an async dispatch of the same
      // request: it was checked and charged when it began.
      return true;
    }
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new UnauthenticatedException("Send your API key as 'Authorization: Bearer <key>'");
    }
    Caller caller =
        users
            .authenticate(header.substring(BEARER.length()))
            .orElseThrow(() -> new UnauthenticatedException("The API key is not valid"));
    if (adminOnly(request.getRequestURI()) && !caller.admin()) {
      throw new ForbiddenException("This needs an admin API key");
    }
    request.setAttribute(CALLER_ATTRIBUTE, caller);
    return true;
  }

  /** {@code /admin/**}, and the detailed health report, which shows the node's internals. */
  private static boolean adminOnly(String uri) {
    return uri.startsWith("/admin") || uri.equals("/health/detailed");
  }
}
