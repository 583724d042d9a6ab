package dev.ttsapi.ratelimit;

/**
 * The limits that apply to one user, and whether they are the user's own or the defaults.
 *
 * @param requestsPerMinute submissions per minute
 * @param charactersPerDay characters of text per UTC day
 * @param pollRequestsPerMinute status polls and audio downloads per minute
 * @param custom true if an admin set at least one of them for this user
 */
public record UserLimits(
    int requestsPerMinute, long charactersPerDay, int pollRequestsPerMinute, boolean custom) {}
