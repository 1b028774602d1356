package io.parallelconsumer.internal.work;

/**
 * What is queued, running, waiting to retry and incomplete, per partition and in total: each change goes through one
 * call that updates both, so that the two never disagree. Guarded by the work manager's lock.
 */
final class WorkCounts {

    private final WorkLock lock;
    private int queued;
    private int running;
    private int waitingRetry;
    private int incomplete;
    private long alreadyDoneSkipped;
    private int alarmMark;
    private Runnable alarm;

    WorkCounts(WorkLock lock) {
        this.lock = lock;
    }

    /** Fetched records entered: {@code added} queued and incomplete, {@code skipped} done by a previous owner. */
    void fetched(PartitionWork<?, ?> pw, int added, int skipped) {
        pw.queued += added;
        queued += added;
        incomplete += added;
        alreadyDoneSkipped += skipped;
    }

    /** Records went back to their shard's queue without having run. */
    void requeued(PartitionWork<?, ?> pw, int count) {
        pw.queued += count;
        queued += count;
    }

    /** Queued records started running. */
    void started(PartitionWork<?, ?> pw, int count) {
        pw.queued -= count;
        queued -= count;
        pw.running += count;
        running += count;
    }

    /** A record stopped running (done, failed or given back); returns its partition. */
    <K, V> PartitionWork<K, V> endRun(WorkItem<K, V> item) {
        PartitionWork<K, V> pw = item.partition;
        pw.running--;
        running--;
        lock.runningChanged();
        return pw;
    }

    /** A record whose run ended marks its offset done; it counts once, and only while its partition is assigned. */
    void completed(WorkItem<?, ?> item, long now) {
        PartitionWork<?, ?> pw = item.partition;
        if (pw.active && pw.window.complete(item.handle, now)) {
            incomplete--;
        }
    }

    void waitingRetry(PartitionWork<?, ?> pw) {
        pw.waitingRetry++;
        waitingRetry++;
    }

    /** A record's retry delay is over: it is queued again. */
    void retrying(PartitionWork<?, ?> pw) {
        pw.waitingRetry--;
        waitingRetry--;
        requeued(pw, 1);
    }

    /** A partition stopped dispatching: what it had queued or waiting to retry is dropped (it stays incomplete). */
    void dropped(PartitionWork<?, ?> pw) {
        queued -= pw.queued;
        pw.queued = 0;
        waitingRetry -= pw.waitingRetry;
        pw.waitingRetry = 0;
    }

    /** A partition was fenced: its incomplete records no longer count. */
    void fenced(PartitionWork<?, ?> pw) {
        incomplete -= pw.window.incomplete();
    }

    /**
     * Sets the alarm to run once, as soon as the incomplete records fall to {@code mark} (replacing any alarm set
     * before; {@code null} clears it).
     * @return the alarm if they are there already, to run at once outside the lock; else {@code null}
     */
    Runnable alarmAt(int mark, Runnable alarm) {
        if (alarm != null && incomplete <= mark) {
            this.alarm = null;
            return alarm;
        }
        this.alarmMark = mark;
        this.alarm = alarm;
        return null;
    }

    /** The alarm, once its mark is reached, to run outside the lock; else {@code null}. */
    Runnable takeAlarm() {
        if (alarm != null && incomplete <= alarmMark) {
            Runnable reached = alarm;
            alarm = null;
            return reached;
        }
        return null;
    }

    int queued() {
        return queued;
    }

    int running() {
        return running;
    }

    int incomplete() {
        return incomplete;
    }

    WorkTotals totals() {
        return new WorkTotals(incomplete, queued, running, waitingRetry, alreadyDoneSkipped);
    }
}
