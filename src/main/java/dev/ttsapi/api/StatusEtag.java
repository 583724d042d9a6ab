package dev.ttsapi.api;

import dev.ttsapi.api.TtsDtos.StatusResponse;

/**
 * The ETag of a status answer, computed from the fields the answer is made of instead of from its
 * serialized bytes: no buffering of the body and no digest of it on every poll. A status answer is
 * a function of its {@link StatusResponse} (a record of records, lists and values, whose {@code
 * toString} names every field), so equal tags mean equal bodies; a 64-bit FNV-1a of that text makes
 * a change that keeps the tag a one in 2^64 chance. With a matching {@code If-None-Match} Spring
 * answers a bodyless 304; the controller sends {@code Cache-Control: no-cache}, so clients always
 * revalidate and progress is never served stale.
 */
final class StatusEtag {

  private static final long OFFSET = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private StatusEtag() {}

  static String of(StatusResponse response) {
    String fields = response.toString();
    long hash = OFFSET;
    for (int i = 0; i < fields.length(); i++) {
      hash ^= fields.charAt(i);
      hash *= PRIME;
    }
    return "\"" + Long.toHexString(hash) + "\"";
  }
}
