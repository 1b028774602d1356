package io.parallelconsumer.internal.work;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StagedRecordsTest {

    private static WorkItem<String, String> item(long offset) {
        return new WorkItem<>(new ConsumerRecord<>("t", 0, offset, "k", "v"), null, null, offset, offset);
    }

    @Test
    void takesInTheOrderFilledAndRefusesWhenFull() {
        StagedRecords<String, String> staged = new StagedRecords<>(4);
        for (long offset = 0; offset < 4; offset++) {
            assertThat(staged.offer(item(offset))).isTrue();
        }
        assertThat(staged.offer(item(4))).as("full").isFalse();
        assertThat(staged.size()).isEqualTo(4);

        assertThat(staged.poll().record().offset()).isZero();
        assertThat(staged.offer(item(4))).as("a slot free again").isTrue();
        List<Long> rest = new ArrayList<>();
        for (WorkItem<String, String> item = staged.poll(); item != null; item = staged.poll()) {
            rest.add(item.record().offset());
        }
        assertThat(rest).containsExactly(1L, 2L, 3L, 4L);
        assertThat(staged.size()).isZero();
    }

    @Test
    void capacityMustBeAPowerOfTwo() {
        assertThatIllegalArgumentException().isThrownBy(() -> new StagedRecords<>(12)).withMessageContaining("12");
    }

    @Test
    void concurrentTakersGetEveryRecordExactlyOnceEachInOrder() throws InterruptedException {
        StagedRecords<String, String> staged = new StagedRecords<>(8);
        int records = 200_000;
        int takers = 3;
        ConcurrentLinkedQueue<Long> taken = new ConcurrentLinkedQueue<>();
        AtomicBoolean filled = new AtomicBoolean();
        AtomicBoolean outOfOrder = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(takers);
        for (int t = 0; t < takers; t++) {
            Thread taker = new Thread(() -> {
                long last = -1;
                while (true) {
                    boolean wasFilled = filled.get();
                    WorkItem<String, String> item = staged.poll();
                    if (item == null) {
                        if (wasFilled) {
                            break;
                        }
                        Thread.onSpinWait();
                        continue;
                    }
                    long offset = item.record().offset();
                    if (offset <= last) {
                        outOfOrder.set(true);
                    }
                    last = offset;
                    taken.add(offset);
                }
                done.countDown();
            });
            taker.setDaemon(true);
            taker.start();
        }
        // one thread fills, as the work manager's lock holder would
        for (long offset = 0; offset < records; offset++) {
            WorkItem<String, String> item = item(offset);
            while (!staged.offer(item)) {
                Thread.onSpinWait();
            }
        }
        filled.set(true);

        assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(outOfOrder).as("each taker sees the records in the order filled").isFalse();
        assertThat(taken).hasSize(records).doesNotHaveDuplicates();
    }
}
