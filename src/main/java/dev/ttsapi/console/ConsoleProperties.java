package dev.ttsapi.console;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The web console and its event streams.
 *
 * @param maxStreams open {@code GET /tts/events} streams this node serves at most; more are
 *     answered 503
 * @param maxStreamsPerUser open streams one user may hold on this node; more are answered 429
 * @param streamBuffer events waiting to be written to one stream; a client that falls this far
 *     behind is disconnected (it reconnects and reads the status again)
 * @param streamTimeout a stream is closed after this long; the page reconnects
 * @param heartbeat a comment line is sent this often so proxies keep the stream open and a client
 *     that has gone is noticed: the servlet container learns of a closed connection only when a
 *     write to it fails (the second after the close), so a stream's slot is freed within about two
 *     heartbeats of its client leaving
 * @param deadLettersShown newest dead letters listed on the admin page
 */
@Validated
@ConfigurationProperties("tts.console")
public record ConsoleProperties(
    @Min(1) int maxStreams,
    @Min(1) int maxStreamsPerUser,
    @Min(1) int streamBuffer,
    @NotNull Duration streamTimeout,
    @NotNull Duration heartbeat,
    @Min(1) int deadLettersShown) {}
