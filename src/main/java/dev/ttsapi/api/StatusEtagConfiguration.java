package dev.ttsapi.api;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.ShallowEtagHeaderFilter;

/**
 * Status answers carry an ETag of their content, and a poll with a matching {@code If-None-Match}
 * gets a bodyless 304: a client polling a long job saves the transfer, yet always revalidates (the
 * controller sends {@code Cache-Control: no-cache}), so progress is never served stale.
 */
@Configuration(proxyBeanMethods = false)
class StatusEtagConfiguration {

  @Bean
  FilterRegistrationBean<ShallowEtagHeaderFilter> statusEtagFilter() {
    FilterRegistrationBean<ShallowEtagHeaderFilter> registration =
        new FilterRegistrationBean<>(new ShallowEtagHeaderFilter());
    registration.addUrlPatterns("/tts/status/*");
    registration.setName("statusEtagFilter");
    return registration;
  }
}
