package dev.ttsapi.auth;

public class UserNotFoundException extends RuntimeException {

  public UserNotFoundException(String id) {
    super("No user " + id);
  }
}
