package dev.ttsapi.lexicon;

import java.time.Instant;
import java.util.List;

/** A lexicon as a request uses it: its rules at one version. Cached on every node. */
record StoredLexicon(
    String name, int version, LexiconFormat format, Instant updatedAt, List<LexiconRule> rules) {}
