package dev.ttsapi.web;

import java.util.List;

/** One or more fields of a request are invalid; each error names its field. */
public class InvalidInputException extends RuntimeException {

  public record FieldError(String field, String message) {}

  private final List<FieldError> errors;

  public InvalidInputException(List<FieldError> errors) {
    super(
        errors.stream()
            .map(e -> e.field() + ": " + e.message())
            .reduce((a, b) -> a + "; " + b)
            .orElse("invalid input"));
    this.errors = List.copyOf(errors);
  }

  public InvalidInputException(String field, String message) {
    this(List.of(new FieldError(field, message)));
  }

  public List<FieldError> errors() {
    return errors;
  }
}
