package dev.ttsapi.request;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of one request, and how submits are written.
 *
 * @param maxTextLength longest text {@code POST /tts/request} (and each batch item, and {@code POST
 *     /tts/estimate}) accepts, in characters (code points) after normalization; for SSML the spoken
 *     characters. The streaming endpoints have limits of their own ({@code
 *     tts.openai-api.max-input-length}, {@code tts.marytts-api.max-text-length})
 * @param maxPageSize most requests one list page returns
 * @param audioCache whether stored audio is shared by all users or kept per user
 * @param groupCommitWait how long the group writer waits for more submits after the first of a
 *     group before writing it ({@link GroupCommit}); zero writes at once what has arrived, so a
 *     group is what came in while the previous one was being written
 * @param groupCommitRows most submits written in one group
 * @param groupCommitPending most submits waiting for the group writer; more wait for room (the
 *     bound of the completions' group writer too)
 * @param completionGroupWait how long the writer of workers' completions ({@link JobLifecycle})
 *     waits for more after the first of a group; zero writes at once what has arrived, so a group
 *     is the completions that came in while the previous group was being committed
 * @param completionGroupRows most completions committed in one transaction (one WAL flush)
 */
@Validated
@ConfigurationProperties("tts.request")
public record RequestProperties(
    @Min(1) @Max(1_000_000) int maxTextLength,
    @Min(1) @Max(1000) int maxPageSize,
    @NotNull AudioCacheScope audioCache,
    @NotNull Duration groupCommitWait,
    @Min(1) @Max(10_000) int groupCommitRows,
    @Min(1) @Max(1_000_000) int groupCommitPending,
    @NotNull Duration completionGroupWait,
    @Min(1) @Max(1_000) int completionGroupRows) {}
