package dev.ttsapi.engine;

/**
 * A node without engines has no published catalog yet: no worker has started since the database was
 * made. Not the client's fault, and it passes once a worker publishes its voices.
 */
public class VoicesNotKnownYetException extends RuntimeException {

  public VoicesNotKnownYetException() {
    super(
        "No worker has published its voices yet; requests are accepted once one has started"
            + " (try again shortly)");
  }
}
