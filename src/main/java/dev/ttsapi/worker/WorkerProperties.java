package dev.ttsapi.worker;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Workers.
 *
 * @param slots synthesis slots, each one job at a time on its own platform thread; 0 means one per
 *     CPU core (synthesis is CPU-bound, more would only queue on the cores)
 * @param chunkCharacters longest piece of text sent to an engine at once
 */
@Validated
@ConfigurationProperties("tts.worker")
public record WorkerProperties(@Min(0) @Max(256) int slots, @Min(50) int chunkCharacters) {

  public int effectiveSlots() {
    return slots > 0 ? slots : Runtime.getRuntime().availableProcessors();
  }
}
