package dev.ttsapi.webhook;

import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import dev.ttsapi.webhook.CallbackUrls.RefusedAddressException;
import dev.ttsapi.webhook.DeliveryRepository.Result;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Makes one HTTP attempt of a delivery. The connection goes only to addresses {@link CallbackUrls}
 * resolved and allowed just now (the client's DNS resolver is that check, so a rebound name cannot
 * slip past it); redirects are not followed (a 3xx is a failed attempt, so no redirect can lead to
 * an internal address either); the attempt is cut off after {@code tts.webhook.timeout} whatever
 * the receiver does, and only the first kilobyte of its answer is read, for the log.
 */
@Component
@ConditionalOnRole(Role.WORKER)
class WebhookSender implements DisposableBean {

  private static final int LOGGED_BODY_BYTES = 1024;

  private final CloseableHttpClient client;
  private final WebhookProperties properties;
  private final ScheduledExecutorService deadlines =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("webhook-deadlines").factory());

  WebhookSender(CallbackUrls urls, WebhookProperties properties) {
    this.properties = properties;
    DnsResolver guarded =
        new DnsResolver() {
          @Override
          public InetAddress[] resolve(String host) throws UnknownHostException {
            String bare =
                host.startsWith("[") && host.endsWith("]")
                    ? host.substring(1, host.length() - 1)
                    : host;
            return urls.resolveForDelivery(bare);
          }

          @Override
          public String resolveCanonicalHostname(String host) {
            return host;
          }
        };
    Timeout timeout = Timeout.of(properties.timeout());
    this.client =
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setDnsResolver(guarded)
                    .setDefaultConnectionConfig(
                        ConnectionConfig.custom()
                            .setConnectTimeout(Timeout.of(properties.connectTimeout()))
                            .setSocketTimeout(timeout)
                            .build())
                    .setMaxConnTotal(properties.concurrency())
                    .setMaxConnPerRoute(properties.concurrency())
                    .build())
            .setDefaultRequestConfig(
                RequestConfig.custom()
                    .setResponseTimeout(timeout)
                    .setConnectionRequestTimeout(timeout)
                    .setRedirectsEnabled(false)
                    .build())
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableCookieManagement()
            .disableAuthCaching()
            .setUserAgent("tts-api-webhooks/1")
            .build();
  }

  /** POSTs {@code body} with {@code headers}; never throws, the result says what happened. */
  Result send(URI url, String body, Map<String, String> headers) {
    HttpPost post = new HttpPost(url);
    headers.forEach(post::setHeader);
    post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
    AtomicBoolean cutOff = new AtomicBoolean();
    long start = System.nanoTime();
    ScheduledFuture<?> deadline =
        deadlines.schedule(
            () -> {
              cutOff.set(true);
              post.cancel();
            },
            properties.timeout().toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      return client.execute(
          post,
          response -> {
            String answer = firstBytes(response.getEntity());
            int status = response.getCode();
            double ms = millisSince(start);
            if (status >= 200 && status < 300) {
              return new Result(Outcome.DELIVERED, status, ms, null);
            }
            return new Result(
                Outcome.HTTP_ERROR,
                status,
                ms,
                "HTTP " + status + (answer.isEmpty() ? "" : ": " + answer));
          });
    } catch (IOException | RuntimeException e) {
      return failure(e, cutOff.get(), millisSince(start));
    } finally {
      deadline.cancel(false);
    }
  }

  private Result noAnswer(double ms) {
    return new Result(
        Outcome.TIMEOUT, null, ms, "no answer within " + properties.timeout().toMillis() + " ms");
  }

  private Result failure(Exception e, boolean cutOff, double ms) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RefusedAddressException refused) {
        return new Result(Outcome.REFUSED, null, ms, refused.getMessage());
      }
    }
    if (cutOff) {
      return noAnswer(ms);
    }
    if (e instanceof ConnectTimeoutException) {
      return new Result(
          Outcome.TIMEOUT,
          null,
          ms,
          "no connection within " + properties.connectTimeout().toMillis() + " ms");
    }
    if (e instanceof SocketTimeoutException) {
      // The socket's read timeout is the whole call's deadline too, so a receiver that does not
      // answer meets whichever of the two fires first: one outcome, one message.
      return noAnswer(ms);
    }
    if (e instanceof UnknownHostException) {
      return new Result(Outcome.NETWORK_ERROR, null, ms, "unknown host: " + e.getMessage());
    }
    return new Result(Outcome.NETWORK_ERROR, null, ms, e.toString());
  }

  private static String firstBytes(org.apache.hc.core5.http.HttpEntity entity) throws IOException {
    if (entity == null) {
      return "";
    }
    try (InputStream in = entity.getContent()) {
      byte[] bytes = in.readNBytes(LOGGED_BODY_BYTES);
      // The log is text in PostgreSQL, which takes no NUL: control characters become spaces.
      return new String(bytes, StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", " ").strip();
    }
  }

  private static double millisSince(long start) {
    return (System.nanoTime() - start) / 1_000_000.0;
  }

  @Override
  public void destroy() throws IOException {
    deadlines.shutdownNow();
    client.close();
  }
}
