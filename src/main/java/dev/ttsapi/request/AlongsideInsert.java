package dev.ttsapi.request;

import java.util.List;

/**
 * Rows another feature writes in the transaction that inserts new requests, before their rows: a
 * request's callback URL, a batch and its items. They commit with the requests or not at all, and
 * they exist before a request can end (one answered from stored audio is inserted ended).
 */
@FunctionalInterface
public interface AlongsideInsert {

  /** Nothing besides the requests: they are inserted in one statement, with no transaction. */
  AlongsideInsert NOTHING = requests -> {};

  /**
   * Writes what goes with {@code requests} (in submission order, ids assigned), in their
   * transaction.
   */
  void write(List<TtsRequest> requests);

  /** {@code first}'s rows, then {@code second}'s; nothing alongside if neither writes any. */
  static AlongsideInsert both(AlongsideInsert first, AlongsideInsert second) {
    if (first == NOTHING) {
      return second;
    }
    if (second == NOTHING) {
      return first;
    }
    return requests -> {
      first.write(requests);
      second.write(requests);
    };
  }
}
