package dev.ttsapi.ratelimit;

/** The two per-minute budgets of a user: polling never eats the submit budget. */
public enum Budget {
  /** Submissions, cancellations and other changes. */
  SUBMIT,
  /** Status polls, audio downloads and other reads. */
  POLL
}
