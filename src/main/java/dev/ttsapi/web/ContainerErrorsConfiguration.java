package dev.ttsapi.web;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/** Puts {@link ProblemErrorReportValve} in place of Tomcat's HTML error pages. */
@Configuration(proxyBeanMethods = false)
class ContainerErrorsConfiguration {

  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports(JsonMapper json) {
    return new ProblemErrorReports(json);
  }

  /**
   * Runs after Spring Boot's own customizer, which adds a plain {@link ErrorReportValve} to the
   * host: that one is taken out, ours goes in, and the host is told to add no other.
   */
  private static final class ProblemErrorReports
      implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private final JsonMapper json;

    ProblemErrorReports(JsonMapper json) {
      this.json = json;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
      factory.addContextCustomizers(
          context -> {
            if (!(context.getParent() instanceof StandardHost host)) {
              return;
            }
            for (Valve valve : host.getPipeline().getValves()) {
              if (valve instanceof ErrorReportValve
                  && !(valve instanceof ProblemErrorReportValve)) {
                host.getPipeline().removeValve(valve);
              }
            }
            // Ours goes in now; naming its class tells the host, when it starts, that its error
            // report valve is there already.
            host.getPipeline().addValve(new ProblemErrorReportValve(json));
            host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
          });
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}
