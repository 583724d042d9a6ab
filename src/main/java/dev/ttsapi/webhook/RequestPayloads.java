package dev.ttsapi.webhook;

import dev.ttsapi.request.RequestService;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** A request's event is its status document, read from PostgreSQL where its end was written. */
@Component
class RequestPayloads implements WebhookPayloads {

  private final RequestService requests;

  RequestPayloads(RequestService requests) {
    this.requests = requests;
  }

  @Override
  public String subject() {
    return "request";
  }

  @Override
  public Optional<?> document(UUID requestId) {
    return requests.storedStatus(requestId).map(StatusDocument::of);
  }
}
