package dev.ttsapi.speech;

import dev.ttsapi.audio.Pcm;
import dev.ttsapi.engine.SynthesisUsage;
import dev.ttsapi.timings.Timing;
import java.util.List;
import java.util.Optional;

/**
 * The PCM chunks of one streamed request, in text order, from this process or from a worker through
 * Redis. {@link #close()} before the end stops the synthesis of the rest.
 */
interface ChunkSource extends AutoCloseable {

  /**
   * The next chunk, waiting for it; empty at the end.
   *
   * @throws dev.ttsapi.web.Problem when synthesis failed or no chunk came in time
   */
  Optional<Pcm> next();

  /**
   * What is heard in the chunk {@link #next()} returned last: its sentences and words, in time from
   * the start of the stream, characters of the text the engine speaks; empty when none is known.
   */
  List<Timing> timings();

  /** What the synthesis cost, known at the end. */
  SynthesisUsage usage();

  /** Stops the synthesis of what is not yet sent (the client went away). */
  void cancel();

  @Override
  void close();
}
