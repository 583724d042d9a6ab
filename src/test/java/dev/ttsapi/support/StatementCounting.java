package dev.ttsapi.support;

import jakarta.servlet.Filter;
import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Counts the SQL statements each HTTP request prepares, to catch N+1 queries: import it into a
 * test, call an endpoint, and read {@link #lastCount(String)} for its path. Every statement the
 * service runs goes through the one DataSource, which this wraps; only statements prepared on the
 * thread serving the HTTP request count, so workers and maintenance do not blur the number.
 */
@TestConfiguration(proxyBeanMethods = false)
public class StatementCounting {

  private static final Set<String> PREPARING =
      Set.of("prepareStatement", "prepareCall", "createStatement");
  private static final ThreadLocal<int[]> CURRENT = new ThreadLocal<>();
  private static final Map<String, Integer> LAST = new ConcurrentHashMap<>();

  /** Statements prepared while serving the last request to {@code pathAndQuery}. */
  public static int lastCount(String pathAndQuery) {
    Integer count = LAST.get(pathAndQuery);
    if (count == null) {
      throw new IllegalStateException("No request to " + pathAndQuery + " was counted");
    }
    return count;
  }

  /** Statements prepared on this thread while {@code work} runs. */
  public static int count(Runnable work) {
    int[] count = {0};
    CURRENT.set(count);
    try {
      work.run();
    } finally {
      CURRENT.remove();
    }
    return count[0];
  }

  @Bean
  static BeanPostProcessor statementCountingDataSource() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String name) {
        return bean instanceof DataSource dataSource && !(bean instanceof Counting)
            ? new Counting(dataSource)
            : bean;
      }
    };
  }

  @Bean
  FilterRegistrationBean<Filter> statementCountingFilter() {
    Filter filter =
        (request, response, chain) -> {
          int[] count = {0};
          CURRENT.set(count);
          try {
            chain.doFilter(request, response);
          } finally {
            CURRENT.remove();
            var http = (jakarta.servlet.http.HttpServletRequest) request;
            String query = http.getQueryString();
            LAST.put(http.getRequestURI() + (query == null ? "" : "?" + query), count[0]);
          }
        };
    FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  /** The pool, with every connection it hands out counting the statements it prepares. */
  static final class Counting extends DelegatingDataSource implements Closeable {

    Counting(DataSource target) {
      super(target);
    }

    @Override
    public Connection getConnection() throws SQLException {
      return counting(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return counting(super.getConnection(username, password));
    }

    private static Connection counting(Connection connection) {
      return (Connection)
          Proxy.newProxyInstance(
              StatementCounting.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                int[] count = CURRENT.get();
                if (count != null && PREPARING.contains(method.getName())) {
                  count[0]++;
                }
                try {
                  return method.invoke(connection, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                }
              });
    }

    @Override
    public void close() throws IOException {
      if (getTargetDataSource() instanceof Closeable pool) {
        pool.close();
      }
    }
  }
}
