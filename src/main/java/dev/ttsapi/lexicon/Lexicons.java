package dev.ttsapi.lexicon;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ttsapi.cache.MultiLevelCache;
import dev.ttsapi.cache.MultiLevelCaches;
import dev.ttsapi.web.InvalidInputException;
import dev.ttsapi.web.Problem;
import dev.ttsapi.web.ProblemType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Users' pronunciation lexicons: stored in PostgreSQL (one row per user and name, versioned),
 * cached on every node through {@link MultiLevelCaches} and evicted everywhere when one changes, so
 * the next request uses the new rules without a restart. {@link #apply} is the seam the request
 * pipeline calls.
 */
@Service
public class Lexicons {

  /** Letters, digits, dot, dash and underscore; starts with a letter or digit; 1 to 64. */
  static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final LexiconRepository repository;
  private final LexiconParser parser;
  private final LexiconProperties properties;
  private final MultiLevelCache<StoredLexicon> cache;
  private final Clock clock;

  /**
   * Built matchers by user and {@code name@version} list: building one of 50,000 rules takes a
   * fifth of a second (bench/lexicon-matcher.sh), applying it to a text far less. A new version is
   * a new key, so nothing here is ever stale; bounded by the rules held.
   */
  private final Cache<String, LexiconMatcher> matchers =
      Caffeine.newBuilder()
          .maximumWeight(MATCHER_CACHE_RULES)
          .<String, LexiconMatcher>weigher((key, matcher) -> Math.max(1, matcher.ruleCount()))
          .build();

  private static final long MATCHER_CACHE_RULES = 500_000;

  Lexicons(
      LexiconRepository repository,
      LexiconProperties properties,
      MultiLevelCaches caches,
      JsonMapper json,
      Clock clock) {
    this.repository = repository;
    this.properties = properties;
    this.parser = new LexiconParser(properties, json);
    this.clock = clock;
    this.cache =
        caches.create(
            "lexicons",
            StoredLexicon.class,
            MultiLevelCaches.Absent.NOT_REMEMBERED,
            key -> {
              int slash = key.indexOf('/');
              return repository.find(
                  UUID.fromString(key.substring(0, slash)), key.substring(slash + 1));
            });
  }

  /**
   * Creates the lexicon or replaces its rules (its version goes up by one).
   *
   * @throws InvalidInputException naming what is wrong: the name, the body, a limit
   */
  public LexiconSummary put(UUID user, String name, LexiconFormat format, byte[] body) {
    checkName(name);
    List<LexiconRule> rules;
    try {
      rules = parser.parse(format, body);
    } catch (LexiconFormatException e) {
      throw new InvalidInputException("body", e.getMessage());
    }
    if (repository.countOthers(user, name) >= properties.maxPerUser()) {
      throw new InvalidInputException(
          "name", "you have " + properties.maxPerUser() + " lexicons, the limit; delete one first");
    }
    LexiconSummary saved =
        repository.save(
            user, name, format, new String(body, StandardCharsets.UTF_8), rules, clock.instant());
    cache.invalidate(key(user, name));
    return saved;
  }

  /** The lexicon as it was uploaded, in its format. */
  public Upload get(UUID user, String name) {
    checkName(name);
    return repository
        .source(user, name)
        .map(s -> new Upload(s.format(), s.version(), s.text()))
        .orElseThrow(() -> notFound(name));
  }

  /** A stored lexicon's own text and format. */
  public record Upload(LexiconFormat format, int version, String text) {}

  public List<LexiconSummary> list(UUID user) {
    return repository.list(user);
  }

  public void delete(UUID user, String name) {
    checkName(name);
    if (!repository.delete(user, name, clock.instant())) {
      throw notFound(name);
    }
    cache.invalidate(key(user, name));
  }

  /**
   * Applies the named lexicons, in order, to {@code text} as spoken by a voice of {@code engine}.
   *
   * @param field the body's field that named them, for errors
   * @throws InvalidInputException when more are named than allowed, or one does not exist
   */
  public LexiconUse apply(
      UUID user, List<String> names, String engine, String language, String text, String field) {
    if (names.size() > properties.maxPerRequest()) {
      throw new InvalidInputException(
          field, "names " + names.size() + " lexicons; at most " + properties.maxPerRequest());
    }
    List<StoredLexicon> lexicons = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (name == null || !VALID_NAME.matcher(name).matches()) {
        throw new InvalidInputException(field + "[" + i + "]", "is not a lexicon name");
      }
      if (!seen.add(name)) {
        throw new InvalidInputException(field + "[" + i + "]", "names '" + name + "' twice");
      }
      lexicons.add(
          cache
              .get(key(user, name))
              .orElseThrow(
                  () -> new InvalidInputException(field, "you have no lexicon '" + name + "'")));
    }
    List<String> versions = lexicons.stream().map(l -> l.name() + "@" + l.version()).toList();
    LexiconMatcher matcher =
        matchers.get(
            user + "/" + String.join(",", versions),
            k -> new LexiconMatcher(lexicons.stream().map(StoredLexicon::rules).toList()));
    LexiconMatcher.Result result = matcher.apply(text, phonemeWriter(engine, language));
    long limit = (long) text.length() * properties.maxExpansion() + 1000;
    if (result.replaced().length() > limit) {
      throw new InvalidInputException(
          field,
          "the lexicons make the text "
              + result.replaced().length()
              + " characters long, more than "
              + properties.maxExpansion()
              + " times the text");
    }
    return new LexiconUse(
        result.replaced(), versions, result.applied(), result.phonemeRulesDropped());
  }

  /**
   * espeak-ng reads phonemes in its own mnemonics (for every language, where the mnemonics exist in
   * its table); MaryTTS's transcriptions are per locale, and only its English allophones are
   * converted here. Every other engine takes words only.
   */
  static LexiconMatcher.PhonemeWriter phonemeWriter(String engine, String language) {
    return switch (engine) {
      case "espeak" -> IpaConversion::toEspeak;
      case "mary" ->
          language != null && language.toLowerCase(Locale.ROOT).startsWith("en")
              ? IpaConversion::toMary
              : LexiconMatcher.PhonemeWriter.NONE;
      default -> LexiconMatcher.PhonemeWriter.NONE;
    };
  }

  private static void checkName(String name) {
    if (!VALID_NAME.matcher(name).matches()) {
      throw new InvalidInputException(
          "name",
          "must be 1 to 64 letters, digits, '.', '-' or '_', starting with a letter or digit");
    }
  }

  private static Problem notFound(String name) {
    return new Problem(ProblemType.NOT_FOUND, "You have no lexicon '" + name + "'");
  }

  private static String key(UUID user, String name) {
    return user + "/" + name;
  }
}
