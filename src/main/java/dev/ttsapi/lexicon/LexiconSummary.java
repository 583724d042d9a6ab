package dev.ttsapi.lexicon;

import java.time.Instant;

/** What the list of a user's lexicons shows of each. */
public record LexiconSummary(
    String name,
    int version,
    LexiconFormat format,
    int ruleCount,
    Instant createdAt,
    Instant updatedAt) {}
