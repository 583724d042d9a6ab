package dev.ttsapi.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler method that takes bodies up to {@code tts.input.max-bulk-body-size} (a batch of a
 * thousand texts) instead of {@code tts.input.max-body-size}. Decided on the handler Spring
 * matched, like {@link AdminOnly}: a larger body sent to any other handler is a 413 before anything
 * reads it, however its path is spelled.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface BulkBody {}
