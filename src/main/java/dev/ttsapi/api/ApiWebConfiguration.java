package dev.ttsapi.api;

import dev.ttsapi.auth.UserService;
import dev.ttsapi.ratelimit.RateLimiter;
import java.util.List;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class ApiWebConfiguration implements WebMvcConfigurer {

  private final UserService users;
  private final RateLimiter limiter;

  ApiWebConfiguration(UserService users, RateLimiter limiter) {
    this.users = users;
    this.limiter = limiter;
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry
        .addInterceptor(new ApiKeyInterceptor(users))
        .addPathPatterns("/tts/**", "/admin/**", "/health/detailed", "/v1/**");
    // After the key check, which finds the caller it limits.
    registry
        .addInterceptor(new RateLimitInterceptor(limiter))
        .addPathPatterns("/tts/**", "/v1/**")
        .order(1);
  }

  @Override
  public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
    resolvers.add(new CallerArgumentResolver());
  }
}
