package dev.ttsapi.webhook;

import dev.ttsapi.request.AlongsideInsert;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A user's webhook settings: the default callback URL every request of theirs without one of its
 * own is sent to, and the secrets their events are signed with. A user gets a secret the first time
 * it is needed (settings read or written, a request naming a callback URL); rotating it keeps the
 * old one signing for {@code tts.webhook.secret-rotation-grace}, so two are valid at once.
 */
@Service
public class WebhookSettings {

  /** Secrets start with this, so one pasted in the wrong place is recognised. */
  static final String SECRET_PREFIX = "whsec_";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final WebhookSettingsRepository repository;
  private final TransactionTemplate transactions;
  private final WebhookProperties properties;
  private final Clock clock;

  WebhookSettings(
      WebhookSettingsRepository repository,
      TransactionTemplate transactions,
      WebhookProperties properties,
      Clock clock) {
    this.repository = repository;
    this.transactions = transactions;
    this.properties = properties;
    this.clock = clock;
  }

  /** A signing secret and until when it signs; {@code expiresAt} is null for the current one. */
  public record Secret(String secret, Instant createdAt, Instant expiresAt) {}

  /**
   * What a user has set.
   *
   * @param url the default callback URL, or null
   * @param secrets the valid signing secrets, the current one first
   */
  public record Settings(String url, List<Secret> secrets) {}

  public Settings get(UUID userId) {
    return new Settings(repository.defaultUrl(userId).orElse(null), secrets(userId));
  }

  /** Sets the default callback URL (checked by the caller with {@link CallbackUrls#check}). */
  public Settings setDefaultUrl(UUID userId, URI url) {
    repository.setDefaultUrl(userId, url.toString(), clock.instant());
    return get(userId);
  }

  public Settings clearDefaultUrl(UUID userId) {
    repository.clearDefaultUrl(userId);
    return get(userId);
  }

  /** Makes a new current secret; the one it replaces signs too until the grace period ends. */
  public Settings rotateSecret(UUID userId) {
    Instant now = clock.instant();
    transactions.executeWithoutResult(
        tx ->
            repository.rotate(
                userId, newSecret(), now, now.plus(properties.secretRotationGrace())));
    return get(userId);
  }

  /**
   * Writes, with the new requests, the callback URL they named: for {@link
   * dev.ttsapi.request.RequestService#submit(dev.ttsapi.request.Submission, AlongsideInsert)}. The
   * user gets a signing secret if they had none, so the event can be signed.
   */
  public AlongsideInsert callbackFor(URI url) {
    return requests -> {
      requests.forEach(
          r -> repository.addRequestCallback(r.id(), r.userId(), url.toString(), r.createdAt()));
      requests.stream().map(r -> r.userId()).distinct().forEach(this::secrets);
    };
  }

  /** The secrets to sign with now: the current one and one rotated out within its grace. */
  List<String> signingSecrets(UUID userId) {
    return secrets(userId).stream().map(Secret::secret).toList();
  }

  /** The user's valid secrets, a first one made if they have none. */
  private List<Secret> secrets(UUID userId) {
    Instant now = clock.instant();
    List<WebhookSettingsRepository.Secret> valid = repository.validSecrets(userId, now);
    if (valid.stream().noneMatch(s -> s.expiresAt() == null)) {
      repository.addFirstSecret(userId, newSecret(), now);
      valid = repository.validSecrets(userId, now);
    }
    return valid.stream().map(s -> new Secret(s.secret(), s.createdAt(), s.expiresAt())).toList();
  }

  Optional<String> defaultUrl(UUID userId) {
    return repository.defaultUrl(userId);
  }

  private static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
