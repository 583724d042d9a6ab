package dev.ttsapi.support;

import java.util.List;
import java.util.Random;

/**
 * Long English documents for tests: sentences of varied length and words (so no two chunks sound
 * alike, as in a real book), made from a seed, cut at a sentence boundary.
 */
public final class Documents {

  private static final List<String> SUBJECTS =
      List.of(
          "The old lighthouse keeper",
          "A small fishing boat",
          "The morning train to the coast",
          "Our neighbour's grey cat",
          "The council's new library",
          "A letter from the harbour master",
          "The children of the village",
          "An engineer from the mainland");
  private static final List<String> VERBS =
      List.of(
          "watched",
          "carried",
          "remembered",
          "painted",
          "followed",
          "described",
          "repaired",
          "counted");
  private static final List<String> OBJECTS =
      List.of(
          "the storm clouds over the bay",
          "a basket of fresh bread",
          "every lamp along the pier",
          "the long road through the hills",
          "a map of the northern islands",
          "the bells of the church",
          "twelve wooden crates of apples",
          "the quiet street after midnight");
  private static final List<String> TAILS =
      List.of(
          "",
          " before the sun went down",
          " while the wind was rising",
          " for almost three hours",
          " and nobody said a word",
          " with great care",
          " as the tide came in");

  private Documents() {}

  /** At most {@code characters} characters of whole sentences, the same for the same seed. */
  public static String english(int characters, long seed) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder();
    for (int n = 1; ; n++) {
      String sentence =
          pick(random, SUBJECTS)
              + " "
              + pick(random, VERBS)
              + " "
              + pick(random, OBJECTS)
              + pick(random, TAILS)
              + (n % 7 == 0 ? ", on day " + n : "")
              + ".";
      String separator = text.isEmpty() ? "" : n % 9 == 0 ? "\n\n" : " ";
      if (text.length() + separator.length() + sentence.length() > characters) {
        return text.toString();
      }
      text.append(separator).append(sentence);
    }
  }

  private static String pick(Random random, List<String> words) {
    return words.get(random.nextInt(words.size()));
  }
}
