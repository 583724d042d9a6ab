package dev.ttsapi.auth;

public class KeyNotFoundException extends RuntimeException {

  public KeyNotFoundException(String id) {
    super("No live API key " + id);
  }
}
