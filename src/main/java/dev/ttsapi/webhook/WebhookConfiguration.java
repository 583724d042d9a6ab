package dev.ttsapi.webhook;

import java.net.InetAddress;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

  /** The system's DNS; a test makes its own bean {@code @Primary} to resolve names its way. */
  @Bean
  HostResolver systemHostResolver() {
    return InetAddress::getAllByName;
  }
}
