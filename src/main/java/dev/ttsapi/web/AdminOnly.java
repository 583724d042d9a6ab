package dev.ttsapi.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler method, or every handler of a controller, that only an admin key may call. The
 * check is made on the handler Spring matched, never on the request's path, so no spelling of the
 * path ({@code /%61dmin}, {@code /admin;x=1}, {@code //admin}) can reach the handler without it. An
 * admin handler also takes an {@link Admin} argument, which cannot be resolved for anyone else: the
 * handler checks the role itself as well.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface AdminOnly {}
