package dev.ttsapi.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns a callback URL's host into the addresses to call: the system's DNS resolver, replaced in
 * tests that need a name to resolve differently at submit and at delivery (DNS rebinding).
 */
@FunctionalInterface
public interface HostResolver {

  /** Every address {@code host} (a name or an IP literal) resolves to now. */
  InetAddress[] resolve(String host) throws UnknownHostException;
}
