package dev.ttsapi.request;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/** Opaque keyset cursor: the id of the last request of the previous page. */
final class Cursor {

  private Cursor() {}

  static String encode(UUID lastId) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(lastId.toString().getBytes(StandardCharsets.UTF_8));
  }

  static UUID decode(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      return RequestIds.parse(raw).orElseThrow(() -> new InvalidCursorException(cursor));
    } catch (IllegalArgumentException e) {
      throw new InvalidCursorException(cursor);
    }
  }
}
