package dev.ttsapi.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a GET handler that does a submit's work (it synthesizes speech, as MaryTTS's {@code GET
 * /process} does): each call is taken from the per-minute submit budget, not the larger read budget
 * that GETs use otherwise.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface SubmitBudget {}
