package dev.ttsapi.request;

import dev.ttsapi.queue.Priority;
import java.util.UUID;

/** An utterance to be spoken for {@code userId}, queued at {@code priority}. */
public record Submission(UUID userId, Priority priority, Utterance utterance) {}
