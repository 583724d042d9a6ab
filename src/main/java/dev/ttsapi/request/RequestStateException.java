package dev.ttsapi.request;

/** The request exists but is in a state that does not allow what was asked (a 409). */
public class RequestStateException extends RuntimeException {

  private final RequestStatus status;

  public RequestStateException(String message, RequestStatus status) {
    super(message);
    this.status = status;
  }

  public RequestStatus status() {
    return status;
  }
}
