package dev.ttsapi.engine;

import java.util.Arrays;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code tts.voices.*}.
 *
 * @param enginePreference engine ids, most preferred first, comma-separated ({@code mary,espeak}):
 *     among equally good voices for a request, the earliest engine's wins
 */
@ConfigurationProperties("tts.voices")
public record VoicesProperties(String enginePreference) {

  List<String> enginePreferenceList() {
    // A plain comma-separated string, so no conversion service is needed to read it.
    String value =
        enginePreference == null
            ? String.join(",", VoiceCatalog.DEFAULT_ENGINE_PREFERENCE)
            : enginePreference;
    return Arrays.stream(value.split(",")).map(String::trim).filter(id -> !id.isEmpty()).toList();
  }
}
