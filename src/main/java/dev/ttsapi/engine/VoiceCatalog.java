package dev.ttsapi.engine;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every voice of every installed engine, and the rules that turn what a client asked for into one
 * of them.
 *
 * <p>{@link #resolve} accepts, in this order:
 *
 * <ol>
 *   <li>an exact id {@code engine:name} ({@code mary:cmu-slt-hsmm}, {@code espeak:vi});
 *   <li>an engine's own voice name without the engine ({@code cmu-slt-hsmm});
 *   <li>another vendor's name, which stands for its language and gender: Google's {@code
 *       <lang>-<REGION>-<family>-<letter>} ({@code en-US-Wavenet-F}), Azure's {@code
 *       en-US-JennyNeural}, or any name containing {@code female} or {@code male};
 *   <li>no voice at all: the best voice for the language.
 * </ol>
 *
 * <p>Among candidates: a voice of exactly the language wins over one of a more specific tag ({@code
 * en-GB-x-rp} for {@code en-GB}), which wins over one merely sharing the base language ({@code
 * en-US} for {@code en-AU}); inside that, a voice of the wanted gender wins; ties go by the
 * configured engine preference ({@code tts.voices.engine-preference}, by default {@code mary}, in
 * process with no setup, then {@code espeak}), then by engine id and voice id, so the choice is the
 * same on every node.
 *
 * <p>Google's letters: {@code A C E F G H} are taken as female, {@code B D I J} as male, as they
 * are for most of Google's languages (not all: {@code en-US-*-A} is male at Google); other letters
 * and names carry no gender. It is a preference only: when no voice of that gender speaks the
 * language, another one does.
 */
public final class VoiceCatalog {

  /** Language and region at the start of a vendor name: en-US-…, cmn-CN-…, es-419-…. */
  private static final Pattern VENDOR_NAME =
      Pattern.compile("([a-zA-Z]{2,3})[-_]([a-zA-Z]{2}|[0-9]{3})(?:[-_](.*))?");

  /** The order used when nothing else is configured: in process first, no setup. */
  public static final List<String> DEFAULT_ENGINE_PREFERENCE = List.of("mary", "espeak");

  private final List<String> enginePreference;
  private final Comparator<Voice> preference;
  private final Map<String, SpeechEngine> engines = new LinkedHashMap<>();
  private final Map<String, EngineVoices> described = new LinkedHashMap<>();
  private final Map<String, Voice> voicesById = new LinkedHashMap<>();

  public VoiceCatalog(List<? extends SpeechEngine> engines) {
    this(engines, DEFAULT_ENGINE_PREFERENCE);
  }

  /**
   * The catalog of engines loaded in this process.
   *
   * @param enginePreference engine ids, most preferred first: among equally good voices for a
   *     request, the one of the earliest engine here wins; engines not named come after, by id
   */
  public VoiceCatalog(List<? extends SpeechEngine> engines, List<String> enginePreference) {
    this(engines, engines.stream().map(EngineVoices::of).toList(), enginePreference);
  }

  /**
   * A catalog of engines loaded elsewhere (published by worker nodes): it resolves voices and knows
   * engine versions, but has no engine to synthesize with ({@link #engines()} is empty).
   */
  public static VoiceCatalog described(List<EngineVoices> engines, List<String> enginePreference) {
    return new VoiceCatalog(List.of(), engines, enginePreference);
  }

  private VoiceCatalog(
      List<? extends SpeechEngine> loaded,
      List<EngineVoices> engines,
      List<String> enginePreference) {
    this.enginePreference = List.copyOf(enginePreference);
    List<String> order = enginePreference.stream().map(VoiceCatalog::key).toList();
    Comparator<String> byPreference =
        Comparator.comparing(
                (String id) -> order.contains(key(id)) ? order.indexOf(key(id)) : order.size())
            .thenComparing(id -> id);
    this.preference = Comparator.comparing(Voice::engine, byPreference).thenComparing(Voice::id);
    loaded.stream()
        .sorted(Comparator.comparing(SpeechEngine::id, byPreference))
        .forEach(e -> this.engines.putIfAbsent(key(e.id()), e));
    engines.stream()
        .sorted(Comparator.comparing(EngineVoices::engine, byPreference))
        .forEach(e -> this.described.putIfAbsent(key(e.engine()), e));
    this.described.values().stream()
        .flatMap(e -> e.voices().stream())
        .sorted(preference)
        .forEach(v -> voicesById.putIfAbsent(key(v.id()), v));
  }

  /** A catalog of {@code engines} loaded elsewhere, with this catalog's engine preference. */
  public VoiceCatalog describing(List<EngineVoices> engines) {
    return described(engines, enginePreference);
  }

  /** Each engine with its version and voices, preferred first: what a worker node publishes. */
  public List<EngineVoices> describe() {
    return List.copyOf(described.values());
  }

  /**
   * The version of the engine that speaks {@code voice}, for its content key.
   *
   * @throws UnknownVoiceException if no engine of the catalog speaks it
   */
  public String versionOf(Voice voice) {
    EngineVoices engine = described.get(key(voice.engine()));
    if (engine == null) {
      throw unknownVoice("engine '" + voice.engine() + "' is not installed", voice.id());
    }
    return engine.version();
  }

  /** Every voice, preferred first. */
  public List<Voice> voices() {
    return List.copyOf(voicesById.values());
  }

  /**
   * Voices whose language is {@code languageFilter} or more specific ({@code en} finds {@code
   * en-US} and {@code en-GB}); all voices when the filter is null or blank.
   */
  public List<Voice> voices(String languageFilter) {
    if (languageFilter == null || languageFilter.isBlank()) {
      return voices();
    }
    return voicesById.values().stream()
        .filter(v -> LanguageTags.hasPrefix(v.language(), languageFilter))
        .toList();
  }

  /** The engines loaded in this process; none in a catalog {@link #described} by other nodes. */
  public List<SpeechEngine> engines() {
    return List.copyOf(engines.values());
  }

  public Optional<SpeechEngine> engine(String id) {
    return Optional.ofNullable(id == null ? null : engines.get(key(id)));
  }

  /** The engine that speaks {@code voice}. */
  public SpeechEngine engineFor(Voice voice) {
    return engine(voice.engine())
        .orElseThrow(
            () -> unknownVoice("engine '" + voice.engine() + "' is not installed", voice.id()));
  }

  public Optional<Voice> find(String id) {
    return Optional.ofNullable(id == null ? null : voicesById.get(key(id)));
  }

  /** BCP-47 tags of all voices, sorted. */
  public List<String> languages() {
    return voicesById.values().stream().map(Voice::language).distinct().sorted().toList();
  }

  /**
   * The voice to speak with, following the rules in the class comment.
   *
   * @param voice a voice id or name, or null/blank for the language's best voice
   * @param language a BCP-47 tag; used when the voice name does not say its language; may be null
   * @throws UnknownVoiceException when an exact id is not installed, or a name says nothing usable
   * @throws UnknownLanguageException when no voice speaks the language
   */
  public Voice resolve(String voice, String language) {
    String lang = language == null || language.isBlank() ? null : language.strip();
    if (voice == null || voice.isBlank()) {
      return best(lang, null);
    }
    String name = voice.strip();
    if (name.contains(":")) {
      return byId(name);
    }
    Optional<Voice> sameName =
        voicesById.values().stream().filter(v -> v.name().equalsIgnoreCase(name)).findFirst();
    if (sameName.isPresent()) {
      return sameName.get();
    }
    Matcher vendor = VENDOR_NAME.matcher(name);
    Gender gender = genderOf(name, vendor.matches() ? vendor.group(3) : null);
    if (vendor.matches()) {
      return best(vendor.group(1) + "-" + vendor.group(2), gender);
    }
    if (gender == null) {
      throw unknownVoice(
          "voice '" + name + "' is not installed, and its name says neither language nor gender",
          name);
    }
    return best(lang, gender);
  }

  private Voice byId(String id) {
    Voice found = voicesById.get(key(id));
    if (found != null) {
      return found;
    }
    String engineId = id.substring(0, id.indexOf(':'));
    EngineVoices engine = described.get(key(engineId));
    if (engine == null) {
      throw unknownVoice(
          "engine '"
              + engineId
              + "' is not installed (voice '"
              + id
              + "'); installed engines: "
              + String.join(", ", described.keySet()),
          id);
    }
    throw unknownVoice(
        "engine '"
            + engine.engine()
            + "' has no voice '"
            + id.substring(id.indexOf(':') + 1)
            + "'; its voices: "
            + String.join(", ", engine.voices().stream().map(Voice::id).toList()),
        id);
  }

  private Voice best(String language, Gender gender) {
    List<Voice> pool = voices();
    if (language != null) {
      String wanted = LanguageTags.canonical(language);
      pool =
          firstNonEmpty(
              v -> v.language().equalsIgnoreCase(wanted),
              v -> LanguageTags.hasPrefix(v.language(), wanted),
              v -> LanguageTags.base(v.language()).equals(LanguageTags.base(wanted)));
      if (pool.isEmpty()) {
        throw new UnknownLanguageException(language, languages());
      }
    }
    if (pool.isEmpty()) {
      throw unknownVoice("no speech engine with voices is installed", "");
    }
    if (gender != null) {
      List<Voice> sameGender = pool.stream().filter(v -> v.gender() == gender).toList();
      if (!sameGender.isEmpty()) {
        pool = sameGender;
      }
    }
    return pool.getFirst(); // voices() is in preference order
  }

  @SafeVarargs
  private List<Voice> firstNonEmpty(Predicate<Voice>... tiers) {
    for (Predicate<Voice> tier : tiers) {
      List<Voice> matching = voicesById.values().stream().filter(tier).toList();
      if (!matching.isEmpty()) {
        return matching;
      }
    }
    return List.of();
  }

  /** Gender from a name: the words female/male anywhere, else a Google voice letter at the end. */
  static Gender genderOf(String name, String vendorRest) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.contains("female")) {
      return Gender.FEMALE;
    }
    if (lower.contains("male")) {
      return Gender.MALE;
    }
    if (vendorRest == null) {
      return null;
    }
    int dash = Math.max(vendorRest.lastIndexOf('-'), vendorRest.lastIndexOf('_'));
    String last = vendorRest.substring(dash + 1);
    if (last.length() != 1) {
      return null;
    }
    return switch (Character.toUpperCase(last.charAt(0))) {
      case 'A', 'C', 'E', 'F', 'G', 'H' -> Gender.FEMALE;
      case 'B', 'D', 'I', 'J' -> Gender.MALE;
      default -> null;
    };
  }

  private UnknownVoiceException unknownVoice(String message, String voice) {
    return new UnknownVoiceException(
        message,
        voice,
        voicesById.values().stream().map(Voice::id).toList(),
        List.copyOf(described.keySet()),
        languages());
  }

  private static String key(String id) {
    return id.toLowerCase(Locale.ROOT);
  }
}
