package dev.ttsapi.web;

import dev.ttsapi.auth.UserService;
import dev.ttsapi.ratelimit.LoginThrottle;
import dev.ttsapi.ratelimit.RateLimiter;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The interceptors run for every handler, with no path patterns: each decides by the handler that
 * was matched ({@link Access}), so no list of paths has to be kept in step with the controllers.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

  private final UserService users;
  private final RateLimiter limiter;
  private final LoginThrottle throttle;
  private final InputProperties input;

  WebConfiguration(
      UserService users, RateLimiter limiter, LoginThrottle throttle, InputProperties input) {
    this.users = users;
    this.limiter = limiter;
    this.throttle = throttle;
    this.input = input;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    // First: a body too large for the handler is refused before the key is even looked up.
    registry
        .addInterceptor(
            new BulkBodyInterceptor(
                input.maxBodySize().toBytes(),
                input.maxBulkBodySize().toBytes(),
                input.maxDocumentBodySize().toBytes()))
        .order(-1);
    registry.addInterceptor(new ApiKeyInterceptor(users, throttle));
    // After the key check, which finds the caller it limits.
    registry.addInterceptor(new RateLimitInterceptor(limiter)).order(1);
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(new CallerArgumentResolver());
  }
}
