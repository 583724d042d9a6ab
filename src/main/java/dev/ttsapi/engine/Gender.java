package dev.ttsapi.engine;

public enum Gender {
  FEMALE,
  MALE,
  NEUTRAL
}
