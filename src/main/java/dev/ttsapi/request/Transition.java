package dev.ttsapi.request;

import static dev.ttsapi.request.RequestStatus.CANCELLED;
import static dev.ttsapi.request.RequestStatus.COMPLETED;
import static dev.ttsapi.request.RequestStatus.FAILED;
import static dev.ttsapi.request.RequestStatus.PROCESSING;
import static dev.ttsapi.request.RequestStatus.QUEUED;

/**
 * The one table of allowed status changes. The repository turns each into a conditional UPDATE
 * ({@code ... WHERE status = from}), so a change that is not allowed, or that another node made
 * first, changes nothing. A request answered from stored audio is inserted completed and takes none
 * of these.
 */
public enum Transition {
  /** A worker takes the job; the attempt counter goes up. */
  START(QUEUED, PROCESSING, "started"),
  /** The audio is stored. */
  COMPLETE(PROCESSING, COMPLETED, "completed"),
  /** The attempt failed or its worker died; the job goes back to the queue. */
  RETRY(PROCESSING, QUEUED, "retried"),
  /** The last attempt failed. */
  FAIL(PROCESSING, FAILED, "failed"),
  /** The client withdrew the request before a worker took it. */
  CANCEL(QUEUED, CANCELLED, "cancelled"),
  /** Workers took the job again and again and could never start it. */
  GIVE_UP(QUEUED, FAILED, "failed");

  private final RequestStatus from;
  private final RequestStatus to;
  private final String event;

  Transition(RequestStatus from, RequestStatus to, String event) {
    this.from = from;
    this.to = to;
    this.event = event;
  }

  public RequestStatus from() {
    return from;
  }

  public RequestStatus to() {
    return to;
  }

  /** The name of the event recorded in the request's log. */
  public String event() {
    return event;
  }
}
