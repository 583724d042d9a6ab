package dev.ttsapi.request;

/** Who shares stored audio ({@code tts.request.audio-cache}). */
public enum AudioCacheScope {
  /**
   * Everyone: identical text, voice and settings are synthesized once for all users. A user learns
   * of a hit only on audio they asked for themselves ({@code cache_hit}), though an answer that is
   * completed at once still shows that the audio existed.
   */
  SHARED,
  /**
   * Each user apart: audio is keyed by its owner too, so nothing one tenant asked for can be
   * observed by another, at the price of synthesizing the same text once per user.
   */
  PER_USER
}
