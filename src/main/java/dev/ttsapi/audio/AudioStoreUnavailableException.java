package dev.ttsapi.audio;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * The audio store did not answer, or failed on its side (an object store's 5xx or throttling): the
 * same call will likely work later. It is a {@link DataAccessResourceFailureException} so that
 * workers treat it like an unreachable PostgreSQL or Redis (the job waits, it is not the job's
 * fault) and the API answers 503 + Retry-After. A store refusing the call itself (an object store's
 * other 4xx) is an {@link java.io.IOException} instead.
 */
public class AudioStoreUnavailableException extends DataAccessResourceFailureException {

  public AudioStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
