/**
 * Kafka for tests, needing nothing of the parallel consumer: a broker found in a fixed order ({@link
 * io.parallelconsumer.test.kafka.BrokerSettings}), waited for with backoff and skipped when it does not come
 * ({@link io.parallelconsumer.test.kafka.KafkaBrokers}), the JUnit 5 extension ({@link
 * io.parallelconsumer.test.kafka.WithKafka}) and the fixtures ({@link io.parallelconsumer.test.kafka.KafkaFixtures}).
 */
package io.parallelconsumer.test.kafka;
