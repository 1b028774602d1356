/**
 * JUnit tags as annotations, so that each tag's name is written once: {@code @Kafka}, {@code @Integration},
 * {@code @Slow} and {@code @Load}.
 */
package io.parallelconsumer.test.kafka.tags;
