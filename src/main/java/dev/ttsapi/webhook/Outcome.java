package dev.ttsapi.webhook;

import java.util.Locale;

/** How one delivery attempt ended, as the delivery log and the metrics name it. */
enum Outcome {
  /** The receiver answered 2xx. */
  DELIVERED,
  /** The receiver answered another status (3xx included: redirects are not followed). */
  HTTP_ERROR,
  /** No answer within the connect or total timeout. */
  TIMEOUT,
  /** The connection failed or broke, or the name did not resolve. */
  NETWORK_ERROR,
  /** The host resolved to an address the service does not call (SSRF guard). */
  REFUSED,
  /** The node making the attempt stopped before recording its answer. */
  LOST,
  /** The request or batch is gone (deleted by retention): there is nothing to send. */
  GONE;

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
