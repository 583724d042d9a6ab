package dev.ttsapi.web;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.auth.UserService;
import dev.ttsapi.ratelimit.LoginThrottle;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
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
    Optional<String> key = bearerKey(request);
    if (key.isEmpty()) {
      throw new UnauthenticatedException("Send your API key as 'Authorization: Bearer <key>'");
    }
    String address = request.getRemoteAddr();
    throttle.checkAllowed(address);
    Optional<Caller> found = users.authenticate(key.get());
    if (found.isEmpty()) {
      throttle.failed(address);
      throw new UnauthenticatedException("The API key is not valid");
    }
    Caller caller = found.get();
    if (access == Access.ADMIN && !caller.admin()) {
      throw new ForbiddenException("This needs an admin API key");
    }
    request.setAttribute(CALLER_ATTRIBUTE, caller);
    return true;
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
