package dev.ttsapi.web;

import dev.ttsapi.auth.Caller;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Lets a controller method take the authenticated {@link Caller}, or an {@link Admin}, as an
 * argument. An {@code Admin} argument is the handler's own check of the role: it is refused for any
 * caller who is not an admin, whatever ran before. A {@link Budgeted} argument is the call's
 * budget, for the handler to check.
 */
class CallerArgumentResolver implements HandlerMethodArgumentResolver {

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    Class<?> type = parameter.getParameterType();
    return type.equals(Caller.class) || type.equals(Admin.class) || type.equals(Budgeted.class);
  }

  @Override
  public Object resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mavContainer,
      NativeWebRequest webRequest,
      WebDataBinderFactory binderFactory) {
    if (parameter.getParameterType().equals(Budgeted.class)) {
      return webRequest.getAttribute(
                  RateLimitInterceptor.BUDGET_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST)
              instanceof Budgeted budget
          ? budget
          : Budgeted.notLimited();
    }
    if (!(webRequest.getAttribute(
            ApiKeyInterceptor.CALLER_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST)
        instanceof Caller caller)) {
      throw new UnauthenticatedException("Send your API key as 'Authorization: Bearer <key>'");
    }
    if (parameter.getParameterType().equals(Admin.class)) {
      if (!caller.admin()) {
        throw new ForbiddenException("This needs an admin API key");
      }
      return new Admin(caller);
    }
    return caller;
  }
}
