package dev.ttsapi.queue;

import dev.ttsapi.redis.Redis;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The queue's parts, sharing one partitioning and one per-user cap. */
@Configuration(proxyBeanMethods = false)
class QueueConfiguration {

  @Bean
  QueuePartitions queuePartitions(QueueProperties properties) {
    return new QueuePartitions(properties.partitions());
  }

  @Bean
  PerUserCap perUserCap(Redis redis, QueuePartitions partitions, QueueProperties properties) {
    return new PerUserCap(redis, partitions, properties.perUserMaxJobs());
  }

  @Bean
  QueueGroups queueGroups(Redis redis, QueuePartitions partitions) {
    QueueGroups groups = new QueueGroups(redis, partitions);
    groups.ensure();
    return groups;
  }

  @Bean
  QueueProducer queueProducer(Redis redis, QueuePartitions partitions, PerUserCap cap) {
    return new QueueProducer(redis, partitions, cap);
  }

  @Bean
  QueueConsumer queueConsumer(
      Redis redis,
      QueuePartitions partitions,
      PerUserCap cap,
      QueueProducer producer,
      QueueGroups groups,
      QueueProperties properties,
      Clock clock) {
    return new QueueConsumer(redis, partitions, cap, producer, groups, properties, clock);
  }

  @Bean
  LiveQueue liveQueue(
      Redis redis,
      QueueGroups groups,
      Clock clock,
      @Value("${tts.openai-api.live-ttl}") Duration liveTtl) {
    return new LiveQueue(redis, groups, liveTtl, clock);
  }

  @Bean
  QueueInspector queueInspector(Redis redis, QueuePartitions partitions, PerUserCap cap) {
    return new QueueInspector(redis, partitions, cap);
  }

  @Bean
  QueueUpkeep queueUpkeep(
      Redis redis,
      QueuePartitions partitions,
      PerUserCap cap,
      QueueGroups groups,
      QueueInspector inspector) {
    return new QueueUpkeep(redis, partitions, cap, groups, inspector);
  }
}
