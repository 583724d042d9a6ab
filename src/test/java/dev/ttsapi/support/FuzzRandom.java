package dev.ttsapi.support;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Odd inputs for fuzz tests from one seeded generator. The seed is chosen at random once per test
 * run, or given with {@code -Dtts.test.fuzz-seed=<n>}: a failure seen in CI names its seed (see
 * {@link #replay()}), and passing that seed generates the same inputs again. Each test makes its
 * own generator from the seed, so a test run alone replays exactly its own inputs.
 *
 * <p>Besides uniform values, every generator returns its edge cases now and then (bounds, zero,
 * empty, extreme lengths, troublesome characters), where bugs usually are.
 */
public final class FuzzRandom {

  public static final String SEED_PROPERTY = "tts.test.fuzz-seed";

  private static final long RUN_SEED = runSeed();

  /** Characters that break naive handling: controls, lone surrogates, bidi, BOM, JSON escapes. */
  private static final String TROUBLESOME =
      "\u0000\u0007\u001f\u007f\"\\/\n\r\t \u00a0\u0085\u2028\u2029\u202e\u200b\ufeff\ud800\udbff"
          + "\udc00\udfff\ufffd\ufffe\uffff%&?#=+";

  private final long seed;
  private final SplittableRandom random;

  public FuzzRandom(long seed) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
  }

  /** A generator from this run's seed. */
  public static FuzzRandom forThisRun() {
    return new FuzzRandom(RUN_SEED);
  }

  private static long runSeed() {
    String given = System.getProperty(SEED_PROPERTY);
    return given == null || given.isBlank()
        ? new SecureRandom().nextLong()
        : Long.parseLong(given.strip());
  }

  public long seed() {
    return seed;
  }

  /** What to put into every assertion message and log line, so a failure says how to replay it. */
  public String replay() {
    return "fuzz seed " + seed + ", replay with -D" + SEED_PROPERTY + "=" + seed;
  }

  public boolean bool() {
    return random.nextBoolean();
  }

  /** True about once in {@code n} draws. */
  public boolean oneIn(int n) {
    return random.nextInt(n) == 0;
  }

  /** Between the bounds, both included; each bound itself about once in 16 draws. */
  public int between(int min, int max) {
    int edge = random.nextInt(16);
    if (edge == 0) {
      return min;
    }
    if (edge == 1) {
      return max;
    }
    return (int) random.nextLong(min, (long) max + 1);
  }

  /** Between the bounds, both included; each bound itself about once in 16 draws. */
  public double between(double min, double max) {
    int edge = random.nextInt(16);
    if (edge == 0) {
      return min;
    }
    if (edge == 1) {
      return max;
    }
    return random.nextDouble(min, max);
  }

  public int anyInt() {
    return oneIn(8) ? pick(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE) : random.nextInt();
  }

  public long anyLong() {
    return oneIn(8) ? pick(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE) : random.nextLong();
  }

  /** A finite double of any sign and magnitude (JSON has no NaN or infinity). */
  public double anyDouble() {
    if (oneIn(8)) {
      return pick(0.0, -0.0, 0.01, -0.01, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE);
    }
    return random.nextDouble(-1, 1) * Math.pow(10, random.nextInt(-12, 309));
  }

  @SafeVarargs
  public final <T> T pick(T... values) {
    return values[random.nextInt(values.length)];
  }

  /** The value of one of the choices, each as likely as the others. */
  @SafeVarargs
  public final <T> T oneOf(Supplier<? extends T>... choices) {
    return pick(choices).get();
  }

  /** A choice and how often it is taken relative to the others. */
  public record Weighted<T>(int weight, Supplier<? extends T> value) {}

  public static <T> Weighted<T> weight(int weight, Supplier<? extends T> value) {
    return new Weighted<>(weight, value);
  }

  /** The value of one of the choices, taken in proportion to their weights. */
  @SafeVarargs
  public final <T> T frequency(Weighted<? extends T>... choices) {
    int total = 0;
    for (Weighted<? extends T> choice : choices) {
      total += choice.weight();
    }
    int draw = random.nextInt(total);
    for (Weighted<? extends T> choice : choices) {
      draw -= choice.weight();
      if (draw < 0) {
        return choice.value().get();
      }
    }
    throw new IllegalStateException("weights changed while drawing");
  }

  /** Up to {@code maxSize} values, now and then none or exactly that many. */
  public <T> List<T> listOf(int maxSize, Supplier<? extends T> element) {
    int size = between(0, maxSize);
    List<T> list = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      list.add(element.get());
    }
    return list;
  }

  /**
   * Any UTF-16 code units, up to {@code maxLength}: mostly uniform over all of them (lone
   * surrogates included), with troublesome characters, plain ASCII and well-formed emoji mixed in.
   */
  public String anyString(int maxLength) {
    return anyString(0, maxLength);
  }

  public String anyString(int minLength, int maxLength) {
    int length = between(minLength, maxLength);
    StringBuilder s = new StringBuilder(length);
    while (s.length() < length) {
      int kind = random.nextInt(8);
      if (kind == 0) {
        s.append(TROUBLESOME.charAt(random.nextInt(TROUBLESOME.length())));
      } else if (kind == 1) {
        s.append((char) random.nextInt(' ', '~' + 1));
      } else if (kind == 2 && length - s.length() >= 2) {
        s.appendCodePoint(random.nextInt(0x1F300, 0x1FAFF + 1));
      } else {
        s.append((char) random.nextInt(Character.MAX_VALUE + 1));
      }
    }
    return s.toString();
  }

  /** Printable ASCII ('!' to '~'), as in tokens and header values. */
  public String printable(int minLength, int maxLength) {
    int length = between(minLength, maxLength);
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append((char) random.nextInt('!', '~' + 1));
    }
    return s.toString();
  }

  /** Up to {@code maxLength} characters, each one of {@code chars}. */
  public String stringOf(String chars, int maxLength) {
    int length = between(0, maxLength);
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(chars.charAt(random.nextInt(chars.length())));
    }
    return s.toString();
  }

  /** A random (version 4) UUID, from this generator so it replays. */
  public UUID uuid() {
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;
    long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(most, least);
  }
}
