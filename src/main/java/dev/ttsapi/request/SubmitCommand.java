package dev.ttsapi.request;

import dev.ttsapi.audio.AudioFormat;
import dev.ttsapi.engine.SpeechSettings;
import dev.ttsapi.queue.Priority;
import java.util.UUID;

/**
 * A validated ask to speak some text, on behalf of {@code userId}.
 *
 * @param sampleRate the sample rate wanted, in Hz; null for the voice's own
 */
public record SubmitCommand(
    UUID userId,
    String text,
    String language,
    String voice,
    SpeechSettings settings,
    AudioFormat format,
    Integer sampleRate,
    Priority priority) {}
