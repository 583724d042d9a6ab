package dev.ttsapi.queue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class QueueConfiguration {

  @Bean
  JobQueue jobQueue(
      RedisClient client,
      StatefulRedisConnection<String, String> redis,
      QueueProperties properties,
      Clock clock) {
    JobQueue queue = new JobQueue(client, redis, properties, clock);
    queue.ensureGroups();
    return queue;
  }
}
