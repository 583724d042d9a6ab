package dev.ttsapi.batch;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.batch.BatchDtos.BatchBody;
import dev.ttsapi.batch.BatchDtos.ItemBody;
import dev.ttsapi.batch.BatchDtos.VoiceSettingsBody;
import dev.ttsapi.engine.LanguageTags;
import dev.ttsapi.engine.NothingToSpeakException;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.engine.UnknownLanguageException;
import dev.ttsapi.engine.UnknownVoiceException;
import dev.ttsapi.queue.Priority;
import dev.ttsapi.request.InvalidTextException;
import dev.ttsapi.request.Submission;
import dev.ttsapi.request.Utterances;
import dev.ttsapi.ssml.InvalidSsmlException;
import dev.ttsapi.ssml.Ssml;
import dev.ttsapi.text.TextNormalizer;
import dev.ttsapi.web.InvalidInputException;
import dev.ttsapi.web.InvalidInputException.FieldError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Turns a batch body into one submission per item by the rules of {@code POST /tts/request} (same
 * ranges, formats, BCP 47 tags, text limits and voice resolution through {@link Utterances}), an
 * item's missing settings taken from the batch's. Every item is checked before anything is
 * accepted: one bad item refuses the batch with a 400 naming each bad field by its index ({@code
 * items[3].voice_settings.speed}).
 */
@Component
class BatchItems {

  /** Text types the submit path takes; left out, a text whose root is {@code <speak>} is SSML. */
  static final Set<String> TEXT_TYPES = Set.of("text", "ssml");

  private static final String DEFAULT_LANGUAGE = "en-US";
  private static final int MAX_FIELD_LENGTH = 200;
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final Utterances utterances;
  private final BatchProperties properties;

  BatchItems(Utterances utterances, BatchProperties properties) {
    this.utterances = utterances;
    this.properties = properties;
  }

  /** The items, checked, with their client ids (null where none was given). */
  record Checked(Priority priority, List<Submission> submissions, List<String> clientIds) {}

  Checked check(UUID owner, BatchBody body) {
    List<FieldError> errors = new ArrayList<>();
    List<ItemBody> items = body.items();
    if (items == null || items.isEmpty()) {
      throw new InvalidInputException("items", "must hold at least one item");
    }
    if (items.size() > properties.maxItems()) {
      throw new InvalidInputException(
          "items",
          "holds " + items.size() + " items; a batch takes at most " + properties.maxItems());
    }
    Priority priority = Priority.NORMAL;
    if (body.priority() != null) {
      priority = Priority.parse(body.priority()).orElse(null);
      if (priority == null) {
        errors.add(new FieldError("priority", "must be one of " + names(Priority.values())));
      }
    }
    VoiceSettingsBody defaults =
        body.voiceSettings() != null
            ? body.voiceSettings()
            : new VoiceSettingsBody(null, null, null, null);
    List<Submission> submissions = new ArrayList<>(items.size());
    List<String> clientIds = new ArrayList<>(items.size());
    Set<String> seenClientIds = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String at = "items[" + i + "]";
      ItemBody item = items.get(i);
      if (item == null) {
        errors.add(new FieldError(at, "must be an object"));
        continue;
      }
      String clientId = item.clientId();
      if (clientId != null && !CLIENT_ID.matcher(clientId).matches()) {
        errors.add(
            new FieldError(
                at + ".client_id",
                "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or"
                    + " digit"));
      } else if (clientId != null && !seenClientIds.add(clientId)) {
        errors.add(new FieldError(at + ".client_id", "is used by an earlier item"));
      }
      clientIds.add(clientId);
      Submission submission = submission(owner, priority, at, item, body, defaults, errors);
      if (submission != null) {
        submissions.add(submission);
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    return new Checked(priority, submissions, clientIds);
  }

  private Submission submission(
      UUID owner,
      Priority priority,
      String at,
      ItemBody item,
      BatchBody batch,
      VoiceSettingsBody defaults,
      List<FieldError> errors) {
    int before = errors.size();
    VoiceSettingsBody own =
        item.voiceSettings() != null
            ? item.voiceSettings()
            : new VoiceSettingsBody(null, null, null, null);
    String language = first(own.language(), defaults.language());
    String voice = first(own.voice(), defaults.voice());
    Double speedGiven = own.speed() != null ? own.speed() : defaults.speed();
    Double pitchGiven = own.pitch() != null ? own.pitch() : defaults.pitch();
    String formatName = first(item.format(), batch.format());
    Integer sampleRate = item.sampleRate() != null ? item.sampleRate() : batch.sampleRate();
    safe(errors, at + ".voice_settings.language", language);
    safe(errors, at + ".voice_settings.voice", voice);
    safe(errors, at + ".format", formatName);
    safe(errors, at + ".text_type", item.textType());
    if (item.text() == null) {
      errors.add(new FieldError(at + ".text", "is required"));
    } else if (item.text().isBlank()) {
      errors.add(new FieldError(at + ".text", "must not be empty or only whitespace"));
    }
    if (item.textType() != null && !TEXT_TYPES.contains(item.textType())) {
      errors.add(new FieldError(at + ".text_type", "must be one of " + TEXT_TYPES));
    }
    double speed = speedGiven != null ? speedGiven : 1.0;
    double pitch = pitchGiven != null ? pitchGiven : 0.0;
    if (speed < SpeechSettings.MIN_SPEED || speed > SpeechSettings.MAX_SPEED) {
      errors.add(
          new FieldError(
              at + ".voice_settings.speed",
              "must be between " + SpeechSettings.MIN_SPEED + " and " + SpeechSettings.MAX_SPEED));
    }
    if (pitch < SpeechSettings.MIN_PITCH || pitch > SpeechSettings.MAX_PITCH) {
      errors.add(
          new FieldError(
              at + ".voice_settings.pitch",
              "must be between "
                  + SpeechSettings.MIN_PITCH
                  + " and "
                  + SpeechSettings.MAX_PITCH
                  + " semitones"));
    }
    AudioFormat format = AudioFormat.WAV;
    if (formatName != null) {
      format = AudioFormat.parse(formatName).orElse(null);
      if (format == null) {
        errors.add(new FieldError(at + ".format", "must be one of " + names(AudioFormat.values())));
      }
    }
    if (sampleRate != null && !AudioFormat.SAMPLE_RATES.contains(sampleRate)) {
      errors.add(new FieldError(at + ".sample_rate", "must be one of " + AudioFormat.SAMPLE_RATES));
    }
    if (language != null && !LanguageTags.isWellFormed(language)) {
      errors.add(
          new FieldError(
              at + ".voice_settings.language",
              "must be a well-formed BCP 47 tag such as en-US or vi"));
    }
    if (errors.size() > before) {
      return null;
    }
    if (language == null && voice == null) {
      language = DEFAULT_LANGUAGE;
    }
    boolean ssml =
        "ssml".equals(item.textType())
            || (item.textType() == null && Ssml.looksLikeSsml(item.text()));
    SpeechSettings settings = new SpeechSettings(speed, pitch);
    try {
      return new Submission(
          owner,
          priority,
          utterances.withLexicons(
              ssml
                  ? utterances.ofSsml(item.text(), voice, language, settings, format, sampleRate)
                  : utterances.of(item.text(), voice, language, settings, format, sampleRate),
              owner,
              item.lexicons() != null ? item.lexicons() : batch.lexicons(),
              at + ".lexicons"));
    } catch (InvalidInputException e) {
      errors.addAll(e.errors());
    } catch (InvalidTextException | NothingToSpeakException | InvalidSsmlException e) {
      errors.add(new FieldError(at + ".text", e.getMessage()));
    } catch (UnknownVoiceException e) {
      errors.add(new FieldError(at + ".voice_settings.voice", e.getMessage()));
    } catch (UnknownLanguageException e) {
      errors.add(new FieldError(at + ".voice_settings.language", e.getMessage()));
    }
    return null;
  }

  private static void safe(List<FieldError> errors, String field, String value) {
    if (value == null) {
      return;
    }
    if (value.length() > MAX_FIELD_LENGTH) {
      errors.add(new FieldError(field, "must be at most " + MAX_FIELD_LENGTH + " characters"));
    } else if (TextNormalizer.hasUnsafeCharacters(value)) {
      errors.add(new FieldError(field, "must not contain control characters or invalid Unicode"));
    }
  }

  private static String first(String own, String fallback) {
    String value = own != null && !own.isBlank() ? own : fallback;
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static String names(Enum<?>[] values) {
    return Arrays.stream(values)
        .map(v -> v.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));
  }
}
