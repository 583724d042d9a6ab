package dev.ttsapi.webhook;

import dev.ttsapi.auth.Caller;
import dev.ttsapi.request.RequestService;
import dev.ttsapi.request.TtsRequest;
import dev.ttsapi.runtime.ConditionalOnRole;
import dev.ttsapi.runtime.Role;
import dev.ttsapi.webhook.DeliveryLog.Deliveries;
import dev.ttsapi.webhook.WebhookSettings.Secret;
import dev.ttsapi.webhook.WebhookSettings.Settings;
import java.time.Instant;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A user's webhook settings ({@code /tts/webhook}: the default callback URL and the signing
 * secrets) and the delivery log of a request's event.
 */
@RestController
@RequestMapping(path = "/tts", produces = MediaType.APPLICATION_JSON_VALUE)
@ConditionalOnRole(Role.API)
class WebhookController {

  private final WebhookSettings settings;
  private final CallbackUrls callbackUrls;
  private final DeliveryLog deliveries;
  private final RequestService requests;

  WebhookController(
      WebhookSettings settings,
      CallbackUrls callbackUrls,
      DeliveryLog deliveries,
      RequestService requests) {
    this.settings = settings;
    this.callbackUrls = callbackUrls;
    this.deliveries = deliveries;
    this.requests = requests;
  }

  record UrlBody(String url) {}

  record SecretView(String secret, Instant createdAt, Instant expiresAt) {}

  /**
   * @param url the default callback URL, or absent
   * @param secrets the valid signing secrets, the current one first; a rotated-out one carries its
   *     {@code expires_at}
   */
  record WebhookView(String url, List<SecretView> secrets) {
    static WebhookView of(Settings s) {
      return new WebhookView(
          s.url(),
          s.secrets().stream()
              .map((Secret x) -> new SecretView(x.secret(), x.createdAt(), x.expiresAt()))
              .toList());
    }
  }

  @GetMapping("/webhook")
  WebhookView get(Caller caller) {
    return WebhookView.of(settings.get(caller.userId()));
  }

  @PutMapping(path = "/webhook", consumes = MediaType.APPLICATION_JSON_VALUE)
  WebhookView put(Caller caller, @RequestBody UrlBody body) {
    return WebhookView.of(
        settings.setDefaultUrl(caller.userId(), callbackUrls.check("url", body.url())));
  }

  @DeleteMapping("/webhook")
  WebhookView delete(Caller caller) {
    return WebhookView.of(settings.clearDefaultUrl(caller.userId()));
  }

  @PostMapping("/webhook/secret:rotate")
  WebhookView rotate(Caller caller) {
    return WebhookView.of(settings.rotateSecret(caller.userId()));
  }

  @GetMapping("/request/{id}/deliveries")
  Deliveries requestDeliveries(Caller caller, @PathVariable String id) {
    TtsRequest request = requests.get(caller.userId(), caller.admin(), id);
    return deliveries.of(request.id());
  }
}
