package dev.ttsapi.queue;

/**
 * A job handed to this consumer and not yet acknowledged.
 *
 * @param job the job
 * @param entryId the stream entry id, needed to ack
 * @param partition the partition whose stream holds the entry
 */
public record Delivery(Job job, String entryId, QueuePartition partition) {

  /** The stream the entry is in. */
  public String stream() {
    return partition.stream(job.priority());
  }
}
