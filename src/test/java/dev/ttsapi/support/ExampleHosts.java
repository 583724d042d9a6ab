package dev.ttsapi.support;

import dev.ttsapi.webhook.HostResolver;
import java.net.InetAddress;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Names under {@code example.com}, which the documentation's examples use for callback URLs,
 * resolve to a public address here (tests have no DNS of the outside world); everything else
 * through the system's resolver. Nothing is ever delivered to them in these tests.
 */
@TestConfiguration(proxyBeanMethods = false)
public class ExampleHosts {

  @Bean
  @Primary
  HostResolver exampleHosts() {
    return host ->
        host.equals("example.com") || host.endsWith(".example.com")
            ? new InetAddress[] {
              InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 215, 14})
            }
            : InetAddress.getAllByName(host);
  }
}
