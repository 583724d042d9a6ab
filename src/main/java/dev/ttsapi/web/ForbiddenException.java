package dev.ttsapi.web;

/** The caller is known but may not do this (a 403). */
public class ForbiddenException extends RuntimeException {

  public ForbiddenException(String message) {
    super(message);
  }
}
