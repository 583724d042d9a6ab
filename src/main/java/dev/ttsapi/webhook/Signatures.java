package dev.ttsapi.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook, in the style of Stripe's: header {@value #HEADER} with {@code t=<unix
 * seconds>,v1=<hex>[,v1=<hex>]}, each {@code v1} the HMAC-SHA256 of {@code "<t>.<body>"} under one
 * valid secret (the secret's UTF-8 bytes, {@code whsec_} prefix included). While a rotated-out
 * secret is still valid, both signatures are sent; a receiver accepts the event if any one matches
 * a secret it knows, and refuses a {@code t} too far from its own clock (replay).
 */
final class Signatures {

  static final String HEADER = "Tts-Signature";

  private Signatures() {}

  static String header(long timestamp, String body, List<String> secrets) {
    StringBuilder header = new StringBuilder("t=").append(timestamp);
    for (String secret : secrets) {
      header.append(",v1=").append(sign(secret, timestamp, body));
    }
    return header.toString();
  }

  static String sign(String secret, long timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of()
          .formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
