package dev.ttsapi.queue;

/**
 * A job handed to this consumer and not yet acknowledged.
 *
 * @param job the job
 * @param entryId the stream entry id, needed to ack
 */
public record Delivery(Job job, String entryId) {}
