package io.parallelconsumer.validation.verify;

/** A record the producer had acknowledged ({@code acks=all}): it must be processed by every group. */
public record Ack(int partition, long offset, String key, long sequence, long sentMicros, long ackedMicros) {
}
