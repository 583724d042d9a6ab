package dev.ttsapi.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler method that takes one long document (a submission of up to {@code
 * tts.request.max-text-length} characters), so bodies up to {@code
 * tts.input.max-document-body-size} instead of {@code tts.input.max-body-size}. Decided on the
 * handler Spring matched, like {@link BulkBody}: any other handler still answers a larger body with
 * a 413 before anything reads it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface DocumentBody {}
