package io.parallelconsumer;

/**
 * Which threads run a blocking {@link RecordHandler}. An {@link AsyncRecordHandler} always runs on the asynchronous
 * engine, which holds no thread while a record is being processed.
 */
public enum EngineType {

    /** A bounded pool of platform threads, one per unit of concurrency. */
    PLATFORM,

    /**
     * A virtual thread per record that becomes ready (it goes on with the next ready record, if any, before it
     * ends), with concurrency bounded by a semaphore. Needs a JVM with virtual threads
     * (Java 21 or later); building a consumer with this engine on an older JVM fails.
     */
    VIRTUAL,

    /** {@link #VIRTUAL} when the running JVM has virtual threads, {@link #PLATFORM} otherwise. */
    AUTO
}
