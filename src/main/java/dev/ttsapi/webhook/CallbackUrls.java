package dev.ttsapi.webhook;

import dev.ttsapi.web.Problem;
import dev.ttsapi.web.ProblemType;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Decides whether the service may call a callback URL: at submit, so a client hears at once (a 400
 * {@code callback-url-refused}), and again at each delivery on the addresses the name resolves to
 * then, which are the only ones the delivery connects to (a name that resolved to a public address
 * at submit and to an internal one later, DNS rebinding, is refused then). See {@link
 * NetworkPolicy} for what is refused.
 */
@Component
public class CallbackUrls {

  private final HostResolver resolver;
  private final NetworkPolicy policy;
  private final WebhookProperties properties;

  CallbackUrls(HostResolver resolver, WebhookProperties properties) {
    this.resolver = resolver;
    this.policy = new NetworkPolicy(properties.allowNetworks());
    this.properties = properties;
  }

  /**
   * The URL a client gave for {@code field}, checked: absolute http(s), no credentials or fragment,
   * a host that resolves, and only to addresses the service may call.
   *
   * @throws Problem a 400 {@code callback-url-refused} naming the field and why
   */
  public URI check(String field, String raw) {
    if (raw == null || raw.isBlank()) {
      throw refused(field, "must be an absolute http or https URL");
    }
    if (raw.length() > properties.maxUrlLength()) {
      throw refused(field, "must be at most " + properties.maxUrlLength() + " characters");
    }
    if (raw.chars().anyMatch(c -> c <= ' ' || c == 0x7F || c > 0x7E)) {
      throw refused(
          field, "must be plain ASCII without spaces or control characters (percent-encode)");
    }
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw refused(field, "is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw refused(field, "must be an absolute http or https URL");
    }
    if (uri.getHost() == null) {
      throw refused(field, "must name a host");
    }
    if (uri.getRawUserInfo() != null) {
      throw refused(field, "must not carry credentials (user:password@)");
    }
    if (uri.getRawFragment() != null) {
      throw refused(field, "must not have a fragment (#...)");
    }
    String host = host(uri);
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw refused(field, "names a host that does not resolve: " + host);
    }
    refusal(addresses)
        .ifPresent(
            why -> {
              throw refused(
                  field,
                  "resolves to an address this service does not call ("
                      + why
                      + "); an operator can allow the range with tts.webhook.allow-networks");
            });
    return uri;
  }

  /**
   * The addresses to connect to for {@code host} now, at delivery: resolved again, each checked.
   *
   * @throws RefusedAddressException when any of them may not be called
   * @throws UnknownHostException when the name does not resolve
   */
  InetAddress[] resolveForDelivery(String host) throws UnknownHostException {
    InetAddress[] addresses = resolver.resolve(host);
    Optional<String> why = refusal(addresses);
    if (why.isPresent()) {
      throw new RefusedAddressException(host + " resolves to " + why.get());
    }
    return addresses;
  }

  /** The host to resolve: an IPv6 literal without its brackets. */
  static String host(URI uri) {
    String host = uri.getHost();
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** Any one forbidden address refuses the whole name: the client cannot pick which is used. */
  private Optional<String> refusal(InetAddress[] addresses) {
    for (InetAddress address : addresses) {
      Optional<String> why = policy.refusal(address);
      if (why.isPresent()) {
        return why;
      }
    }
    return Optional.empty();
  }

  private static Problem refused(String field, String why) {
    return new Problem(ProblemType.CALLBACK_URL_REFUSED, field + " " + why).with("field", field);
  }

  /** At delivery, the callback's host resolved to an address the service may not call. */
  static final class RefusedAddressException extends UnknownHostException {
    RefusedAddressException(String message) {
      super(message);
    }
  }
}
