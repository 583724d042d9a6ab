package dev.ttsapi.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A DNS for tests: IP literals resolve to themselves (no lookup), a scripted name to its next
 * scripted address (the last one stays), any other name to nothing. No test reaches a real DNS
 * server or any address but its own.
 */
public final class ScriptedHostResolver implements HostResolver {

  private final Map<String, ConcurrentLinkedQueue<String>> names = new ConcurrentHashMap<>();

  /** {@code name} resolves to these addresses, one per lookup, then stays at the last. */
  public void script(String name, String... addresses) {
    names.put(name, new ConcurrentLinkedQueue<>(List.of(addresses)));
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    if (host.contains(":") || host.matches("[0-9.]+")) {
      return new InetAddress[] {InetAddress.getByName(host)};
    }
    ConcurrentLinkedQueue<String> answers = names.get(host);
    if (answers == null || answers.isEmpty()) {
      throw new UnknownHostException(host);
    }
    String address = answers.size() > 1 ? answers.poll() : answers.peek();
    return new InetAddress[] {InetAddress.getByName(address)};
  }
}
