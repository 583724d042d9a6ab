package dev.ttsapi.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses a webhook may be sent to. Everything the public internet cannot reach is refused
 * (loopback, link-local, private, unique-local, multicast, unspecified, shared and reserved
 * ranges), also when it hides inside an IPv6 address (IPv4-mapped, -compatible, NAT64, 6to4), so a
 * callback URL cannot make the service call its own network (SSRF); an operator lets chosen ranges
 * through with {@code tts.webhook.allow-networks}.
 */
final class NetworkPolicy {

  /** An address range, such as 10.0.0.0/8 or fd00::/8. */
  record Cidr(byte[] network, int prefix) {

    static Cidr parse(String text) {
      String value = text.strip();
      int slash = value.indexOf('/');
      try {
        String host = slash < 0 ? value : value.substring(0, slash);
        if (!isLiteral(host)) {
          throw new IllegalArgumentException("not an IP address"); // never a DNS lookup
        }
        InetAddress address = InetAddress.getByName(host);
        byte[] bytes = address.getAddress();
        int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(value.substring(slash + 1));
        if (prefix < 0 || prefix > bytes.length * 8) {
          throw new IllegalArgumentException("prefix out of range");
        }
        return new Cidr(bytes, prefix);
      } catch (UnknownHostException | RuntimeException e) {
        throw new IllegalArgumentException(
            "tts.webhook.allow-networks: '" + text + "' is not a CIDR range such as 10.0.0.0/8", e);
      }
    }

    boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != network.length) {
        return false;
      }
      return prefixMatches(bytes, network, prefix);
    }

    private static boolean isLiteral(String host) {
      return host.contains(":") || host.matches("[0-9.]+");
    }
  }

  private static final List<Cidr> REFUSED_V4 =
      List.of(
          Cidr.parse("0.0.0.0/8"), // "this network", unspecified
          Cidr.parse("100.64.0.0/10"), // shared address space (carrier-grade NAT)
          Cidr.parse("192.0.0.0/24"), // IETF protocol assignments
          Cidr.parse("198.18.0.0/15"), // benchmarking
          Cidr.parse("240.0.0.0/4")); // reserved, and the broadcast address

  private final List<Cidr> allowed;

  NetworkPolicy(List<String> allowNetworks) {
    this.allowed = allowNetworks.stream().filter(s -> !s.isBlank()).map(Cidr::parse).toList();
  }

  /** Why the service may not call {@code address}; empty when it may. */
  Optional<String> refusal(InetAddress address) {
    if (allowed.stream().anyMatch(c -> c.contains(address))) {
      return Optional.empty();
    }
    return kind(address).map(kind -> address.getHostAddress() + ", " + kind);
  }

  private static Optional<String> kind(InetAddress address) {
    if (address.isAnyLocalAddress()) {
      return Optional.of("an unspecified address");
    }
    if (address.isLoopbackAddress()) {
      return Optional.of("a loopback address");
    }
    if (address.isLinkLocalAddress()) {
      return Optional.of("a link-local address");
    }
    if (address.isSiteLocalAddress()) {
      return Optional.of("a private address");
    }
    if (address.isMulticastAddress()) {
      return Optional.of("a multicast address");
    }
    if (address instanceof Inet4Address) {
      return REFUSED_V4.stream().anyMatch(c -> c.contains(address))
          ? Optional.of("a reserved or internal address")
          : Optional.empty();
    }
    if (address instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      if ((b[0] & 0xFE) == 0xFC) {
        return Optional.of("a unique-local address");
      }
      return embeddedV4(b).flatMap(NetworkPolicy::kind);
    }
    return Optional.empty();
  }

  /**
   * The IPv4 address an IPv6 address carries, in the forms that deliver to it: IPv4-mapped and
   * -compatible (::ffff:a.b.c.d, ::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
   */
  private static Optional<InetAddress> embeddedV4(byte[] b) {
    byte[] v4;
    if (prefixMatches(b, new byte[16], 80)
        && ((b[10] == 0 && b[11] == 0) || (b[10] == -1 && b[11] == -1))) {
      v4 = new byte[] {b[12], b[13], b[14], b[15]};
    } else if (prefixMatches(
        b,
        new byte[] {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        96)) {
      v4 = new byte[] {b[12], b[13], b[14], b[15]};
    } else if (b[0] == 0x20 && b[1] == 0x02) {
      v4 = new byte[] {b[2], b[3], b[4], b[5]};
    } else {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByAddress(v4));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  private static boolean prefixMatches(byte[] address, byte[] network, int prefix) {
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xFF << (8 - rest) & 0xFF;
    return (address[full] & mask) == (network[full] & mask);
  }
}
