package dev.ttsapi.web;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on what a client may send, checked before any work is done.
 *
 * @param maxBodySize largest request body; a larger one is a 413 before it is parsed
 * @param maxBulkBodySize largest body of a handler marked {@link BulkBody} (a batch); any other
 *     handler keeps {@code maxBodySize}
 * @param maxDocumentBodySize largest body of a handler marked {@link DocumentBody} (one long text:
 *     {@code POST /tts/request}, {@code /tts/estimate}). 100,000 characters are 100 KB of ASCII,
 *     300 KB of Vietnamese in UTF-8, 600 KB written as JSON escapes of six characters each; SSML's
 *     markup comes on top
 * @param maxJsonDepth deepest nesting of JSON objects and arrays; deeper is a 400
 */
@Validated
@ConfigurationProperties("tts.input")
public record InputProperties(
    @NotNull DataSize maxBodySize,
    @NotNull DataSize maxBulkBodySize,
    @NotNull DataSize maxDocumentBodySize,
    @Min(2) @Max(1000) int maxJsonDepth) {

  @AssertTrue(message = "tts.input.max-bulk-body-size must be at least tts.input.max-body-size")
  boolean isBulkAtLeastUsual() {
    return maxBodySize == null
        || maxBulkBodySize == null
        || maxBulkBodySize.toBytes() >= maxBodySize.toBytes();
  }

  @AssertTrue(message = "tts.input.max-document-body-size must be at least tts.input.max-body-size")
  boolean isDocumentAtLeastUsual() {
    return maxBodySize == null
        || maxDocumentBodySize == null
        || maxDocumentBodySize.toBytes() >= maxBodySize.toBytes();
  }

  /** The most any handler may read: what a body larger than that is refused at once above. */
  long largestBodyBytes() {
    return Math.max(maxBulkBodySize.toBytes(), maxDocumentBodySize.toBytes());
  }
}
