package io.parallelconsumer.validation.log;

/**
 * The kinds of line the suite's processes write, by their first field. The producer writes {@link #ACKED} and
 * {@link #FAILED}; a consumer application writes {@link #STARTED}, then {@link #PROCESSED} for every record before
 * its handler returns and {@link #SLOW} when it begins the record it was told to hold.
 */
public final class LogLine {

    /** {@code A partition offset key sequence sentMicros ackedMicros}. */
    public static final String ACKED = "A";

    /** {@code F key sequence sentMicros errorClass}: a record the producer gave up on; it may or may not be written. */
    public static final String FAILED = "F";

    /** {@code S instance pid jvmStartMicros readyMicros}: the application is up and its listener started. */
    public static final String STARTED = "S";

    /** {@code P partition offset key sequence sentMicros startMicros endMicros}. */
    public static final String PROCESSED = "P";

    /** {@code B partition offset key sequence micros}: the held record has begun and will not end by itself soon. */
    public static final String SLOW = "B";

    /** Header carrying a record's sequence number within its key, as decimal text. */
    public static final String SEQUENCE_HEADER = "validation-seq";

    /** Header carrying the producer's send time in epoch microseconds, as decimal text. */
    public static final String SENT_HEADER = "validation-sent";

    private LogLine() {
    }
}
