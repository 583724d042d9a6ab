package dev.ttsapi.api;

/** The caller is known but may not do this (a 403). */
class ForbiddenException extends RuntimeException {

  ForbiddenException(String message) {
    super(message);
  }
}
