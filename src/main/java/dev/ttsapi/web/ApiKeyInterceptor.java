package dev.ttsapi.web;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.ratelimit.LoginThrottle;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Decides who may call the handler Spring matched ({@link Access}): public handlers answer anyone,
 * every other handler of this application needs {@code Authorization: Bearer <key>}, and {@link
 * AdminOnly} handlers an admin's key. The decision is made on the handler, never on the request's
 * path: a path spelled another way either matches the same handler (and gets the same check) or
 * matches none. The caller is found by the key's hash and handed to controllers as a {@link Caller}
 * (or {@link Admin}) argument. Unknown keys count against their client address ({@link
 * LoginThrottle}), so guessing keys is refused before it costs lookups.
 */
class ApiKeyInterceptor implements HandlerInterceptor {

  static final String CALLER_ATTRIBUTE = ApiKeyInterceptor.class.getName() + ".caller";
  private static final String BEARER = "Bearer ";
  private static final String BASIC = "Basic ";

  private final UserService users;
  private final LoginThrottle throttle;

  ApiKeyInterceptor(UserService users, LoginThrottle throttle) {
    this.users = users;
    this.throttle = throttle;
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    if (request.getDispatcherType() == DispatcherType.ASYNC) {
      // The end of a stream (GET /tts/events) comes back as an async dispatch of the same
      // request: it was checked and charged when it began.
      return true;
    }
    Access access = Access.of(handler);
    if (access == Access.PUBLIC) {
      return true;
    }
    Optional<String> key = key(request, handler);
    boolean outsideHeader = Access.keyOutsideHeader(handler);
    if (key.isEmpty()) {
      throw new UnauthenticatedException(
          outsideHeader
              ? "Send your API key as 'Authorization: Bearer <key>', as HTTP Basic's password, or"
                  + " as the query parameter "
                  + KeyOutsideHeader.QUERY_PARAMETER
              : "Send your API key as 'Authorization: Bearer <key>'",
          outsideHeader);
    }
    String address = request.getRemoteAddr();
    throttle.checkAllowed(address);
    Optional<Caller> found = users.authenticate(key.get());
    if (found.isEmpty()) {
      throttle.failed(address);
      throw new UnauthenticatedException("The API key is not valid", outsideHeader);
    }
    Caller caller = found.get();
    if (access == Access.ADMIN && !caller.admin()) {
      throw new ForbiddenException("This needs an admin API key");
    }
    request.setAttribute(CALLER_ATTRIBUTE, caller);
    return true;
  }

  /**
   * The key the request carries for {@code handler}: a Bearer header always; for a handler marked
   * {@link KeyOutsideHeader} also HTTP Basic's password or the {@code api_key} query parameter.
   */
  static Optional<String> key(HttpServletRequest request, Object handler) {
    Optional<String> bearer = bearerKey(request);
    if (bearer.isPresent() || !Access.keyOutsideHeader(handler)) {
      return bearer;
    }
    Optional<String> basic = basicPassword(request);
    if (basic.isPresent()) {
      return basic;
    }
    String query = request.getParameter(KeyOutsideHeader.QUERY_PARAMETER);
    return query == null || query.isBlank() ? Optional.empty() : Optional.of(query.strip());
  }

  private static Optional<String> basicPassword(HttpServletRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(BASIC.length()).trim()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    String password = colon < 0 ? decoded : decoded.substring(colon + 1);
    return password.isBlank() ? Optional.empty() : Optional.of(password.strip());
  }

  /** The key of an {@code Authorization: Bearer} header (scheme in any case), if there is one. */
  static Optional<String> bearerKey(HttpServletRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    String key = header.substring(BEARER.length()).trim();
    return key.isEmpty() ? Optional.empty() : Optional.of(key);
  }
}
