package dev.ttsapi.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks handlers (a method, or every handler of a controller) for clients that cannot send {@code
 * Authorization: Bearer <key>}, such as MaryTTS clients that only know a server's URL: the key may
 * also come as HTTP Basic's password ({@code http://any:<key>@host/…}) or as the {@code api_key}
 * query parameter. Only where this is set: a key in a URL ends up in browser histories and other
 * servers' logs. This service never logs a query string, so the key is not in its own logs.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface KeyOutsideHeader {

  /** The query parameter that may carry the key. */
  String QUERY_PARAMETER = "api_key";
}
