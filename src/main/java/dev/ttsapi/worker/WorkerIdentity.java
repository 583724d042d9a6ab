package dev.ttsapi.worker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** This process's consumer name in the stream group: host, pid and a random suffix. */
@Component
class WorkerIdentity {

  private final String consumerName;

  WorkerIdentity() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    consumerName =
        host
            + "-"
            + ProcessHandle.current().pid()
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
  }

  String consumerName() {
    return consumerName;
  }
}
