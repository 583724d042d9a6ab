package dev.ttsapi.request;

import java.util.UUID;

/** No such request for this caller: another user's request looks exactly like a missing one. */
public class RequestNotFoundException extends RuntimeException {

  public RequestNotFoundException(String id) {
    super("No request " + id);
  }

  public RequestNotFoundException(UUID id) {
    this(id.toString());
  }
}
