package dev.ttsapi.api;

import dev.ttsapi.auth.Caller;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Lets a controller method take the authenticated {@link Caller} as an argument. */
class CallerArgumentResolver implements HandlerMethodArgumentResolver {

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType().equals(Caller.class);
  }

  @Override
  public Caller resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mavContainer,
      NativeWebRequest webRequest,
      WebDataBinderFactory binderFactory) {
    Object caller =
        webRequest.getAttribute(
            ApiKeyInterceptor.CALLER_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
    if (caller == null) {
      throw new UnauthenticatedException("Send your API key as 'Authorization: Bearer <key>'");
    }
    return (Caller) caller;
  }
}
