package dev.ttsapi.api;

import java.util.List;

/** One or more fields of a request are invalid; each error names its field. */
class InvalidInputException extends RuntimeException {

  record FieldError(String field, String message) {}

  private final List<FieldError> errors;

  InvalidInputException(List<FieldError> errors) {
    super(
        errors.stream()
            .map(e -> e.field() + ": " + e.message())
            .reduce((a, b) -> a + "; " + b)
            .orElse("invalid input"));
    this.errors = List.copyOf(errors);
  }

  InvalidInputException(String field, String message) {
    this(List.of(new FieldError(field, message)));
  }

  List<FieldError> errors() {
    return errors;
  }
}
