package dev.ttsapi.batch;

import dev.ttsapi.webhook.WebhookPayloads;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** A batch's one event, when its last item has ended, is its document. */
@Component
class BatchPayloads implements WebhookPayloads {

  private final BatchService batches;

  BatchPayloads(BatchService batches) {
    this.batches = batches;
  }

  @Override
  public String subject() {
    return "batch";
  }

  @Override
  public Optional<?> document(UUID batchId) {
    return batches.document(batchId);
  }
}
