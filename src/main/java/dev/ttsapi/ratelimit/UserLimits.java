package dev.ttsapi.ratelimit;

/**
 * The limits that apply to one user, and whether they are the user's own or the defaults.
 *
 * @param requestsPerMinute submissions per minute
 * @param charactersPerDay characters of text per UTC day
 * @param custom true if an admin set at least one of them for this user
 */
public record UserLimits(int requestsPerMinute, long charactersPerDay, boolean custom) {}
