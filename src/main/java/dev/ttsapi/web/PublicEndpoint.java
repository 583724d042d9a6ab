package dev.ttsapi.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler method, or every handler of a controller, that answers without an API key: health
 * probes and the metrics scrape. Every other handler of this application needs a key (the default
 * is closed, so a new endpoint cannot be left open by forgetting something).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface PublicEndpoint {}
