package dev.ttsapi.batch;

import dev.ttsapi.webhook.StatusDocument;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shapes of {@code /tts/batches}, snake_case on the wire like the rest of the API. */
final class BatchDtos {

  private BatchDtos() {}

  /**
   * A batch: its items, and defaults for what an item leaves out ({@code voice_settings} field by
   * field, {@code format}, {@code sample_rate}); {@code priority} and {@code callback_url} are the
   * batch's.
   */
  record BatchBody(
      List<ItemBody> items,
      VoiceSettingsBody voiceSettings,
      String format,
      Integer sampleRate,
      String priority,
      String callbackUrl,
      List<String> lexicons) {}

  /**
   * One text to speak.
   *
   * @param textType {@code text} (the default); the kinds the submit path takes
   * @param clientId the caller's own name for the item: file name in the zip, chapter title
   * @param lexicons the pronunciation lexicons of this item, in place of the batch's ({@code []}
   *     for none)
   */
  record ItemBody(
      String text,
      String textType,
      VoiceSettingsBody voiceSettings,
      String format,
      Integer sampleRate,
      String clientId,
      List<String> lexicons) {}

  record VoiceSettingsBody(String language, String voice, Double speed, Double pitch) {}

  /**
   * What {@code GET /tts/batches/{id}} answers, and what its webhook POSTs once it has ended.
   *
   * @param status {@code running} until every item has ended; then {@code completed} (every item
   *     completed), {@code completed_with_failures} (some failed or were cancelled one by one) or
   *     {@code cancelled} (the batch was cancelled)
   * @param counts items per request status, every status present
   */
  record BatchDocument(
      String batchId,
      String status,
      int total,
      Map<String, Integer> counts,
      Instant createdAt,
      Instant endedAt,
      Instant cancelledAt,
      List<Item> items,
      Links links) {}

  /** One item: its place in the batch, its request and how far that got. */
  record Item(
      int index,
      String clientId,
      String requestId,
      String status,
      String voice,
      String format,
      String error,
      StatusDocument.Audio audio) {}

  record Links(String self, String audio, String deliveries) {}
}
