package dev.ttsapi.web;

import dev.ttsapi.auth.Caller;

/**
 * The caller of an {@link AdminOnly} handler. A handler that declares an argument of this type runs
 * only for an admin key: resolving it refuses anyone else with a 403, whatever the interceptor
 * decided before.
 */
public record Admin(Caller caller) {}
