package dev.ttsapi.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttsapi.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A stored job's text is cut into about four chunks per synthesis thread (fewer, longer engine
 * calls), within chunk-characters and ten times that, and never past what the engine takes.
 */
class ChunkSizeTest extends IntegrationTest {

  @Autowired SynthesisPipeline pipeline;
  @Autowired WorkerProperties properties;

  @Test
  void long_texts_get_longer_chunks_short_ones_keep_the_configured_size() {
    int threads = properties.effectiveSynthesisThreads();
    int configured = properties.chunkCharacters();
    int perThread = threads * SynthesisPipeline.CHUNKS_PER_THREAD;

    assertThat(pipeline.chunkLimit(300, Integer.MAX_VALUE)).isEqualTo(configured);
    int document = configured * perThread * 2; // twice what fits configured-size chunks
    assertThat(pipeline.chunkLimit(document, Integer.MAX_VALUE)).isEqualTo(configured * 2);
    assertThat(pipeline.chunkLimit(Integer.MAX_VALUE / 2, Integer.MAX_VALUE))
        .isEqualTo(configured * 10);
    assertThat(pipeline.chunkLimit(document, 120)).isEqualTo(120);
  }
}
