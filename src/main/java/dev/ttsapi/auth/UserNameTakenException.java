package dev.ttsapi.auth;

public class UserNameTakenException extends RuntimeException {

  public UserNameTakenException(String name) {
    super("A user named '" + name + "' already exists");
  }
}
