package io.parallelconsumer.validation.verify;

/**
 * One processing of a record, as a consumer process logged it before its handler returned.
 * @param instance the process that did it: instance name and start number (a restarted instance is a new one)
 */
public record Processed(String instance, int partition, long offset, String key, long sequence, long sentMicros,
        long startMicros, long endMicros) {
}
