package io.parallelconsumer;

import java.time.Duration;
import java.time.Instant;

/**
 * The state of one assigned partition at one moment, for metrics and diagnostics. Offsets are {@code -1} where they
 * are not known (yet).
 *
 * @param topic the topic
 * @param partition the partition
 * @param epoch how many times this consumer has been assigned the partition; work of an older epoch is never committed
 * @param committedOffset the offset last committed by this consumer and acknowledged by the broker
 * @param commitOffset the offset a commit would carry now: the lowest incomplete offset, or the next fetch position
 * when nothing is incomplete
 * @param highestFetchedOffset the highest offset fetched so far
 * @param logEndOffset the partition's log-end offset (high watermark) as of the last fetch
 * @param incomplete offsets fetched but not yet completed (queued, running or waiting to retry)
 * @param gaps runs of incomplete offsets above the first run, that is holes left by records completed out of
 * order; 0 when everything incomplete is contiguous
 * @param blockingOffset the lowest incomplete offset, which holds back the commit
 * @param blockedSince since when {@code blockingOffset} has been the lowest incomplete offset; {@code null} if none
 * @param queued records waiting for a worker
 * @param inFlight records being processed or waiting to retry
 * @param paused whether fetching from the partition is paused by backpressure or by the application
 */
public record PartitionSnapshot(String topic, int partition, int epoch, long committedOffset, long commitOffset,
        long highestFetchedOffset, long logEndOffset, int incomplete, int gaps, long blockingOffset,
        Instant blockedSince, int queued, int inFlight, boolean paused) {

    /** Log-end offset minus committed offset: what is left to do, including done work not yet committed; -1 if unknown. */
    public long lag() {
        if (logEndOffset < 0) {
            return -1;
        }
        long base = committedOffset >= 0 ? committedOffset : commitOffset;
        return base < 0 ? -1 : Math.max(0, logEndOffset - base);
    }

    /** How long the blocking offset has held back the commit at {@code now}; zero when nothing blocks. */
    public Duration blockedFor(Instant now) {
        return blockedSince == null ? Duration.ZERO : Duration.between(blockedSince, now);
    }
}
