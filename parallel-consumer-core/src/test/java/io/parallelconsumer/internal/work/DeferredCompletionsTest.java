package io.parallelconsumer.internal.work;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeferredCompletionsTest {

    private static WorkItem<String, String> item(long offset) {
        return new WorkItem<>(new ConsumerRecord<>("t", 0, offset, "k", "v"), null, null, offset, offset);
    }

    @Test
    void takesEverythingPushedWithWhenEachFinished() {
        DeferredCompletions<String, String> deferred = new DeferredCompletions<>();
        assertThat(deferred.takeAll()).isNull();
        deferred.push(item(1), 100);
        deferred.push(item(2), 200);

        WorkItem<String, String> top = deferred.takeAll();
        assertThat(top.record().offset()).isEqualTo(2);
        assertThat(top.completedNanos).isEqualTo(200);
        assertThat(top.nextDeferred.record().offset()).isEqualTo(1);
        assertThat(top.nextDeferred.completedNanos).isEqualTo(100);
        assertThat(top.nextDeferred.nextDeferred).isNull();
        assertThat(deferred.takeAll()).as("taken once").isNull();
    }

    @Test
    void concurrentPushesAreAllTakenExactlyOnce() throws InterruptedException {
        DeferredCompletions<String, String> deferred = new DeferredCompletions<>();
        int pushers = 4;
        int each = 50_000;
        CountDownLatch done = new CountDownLatch(pushers);
        for (int p = 0; p < pushers; p++) {
            long first = (long) p * each;
            Thread pusher = new Thread(() -> {
                for (long offset = first; offset < first + each; offset++) {
                    deferred.push(item(offset), offset);
                }
                done.countDown();
            });
            pusher.setDaemon(true);
            pusher.start();
        }
        Set<Long> taken = new HashSet<>();
        int duplicates = 0;
        int total = pushers * each;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // taken while the pushers push, as the lock's holders would
        while (taken.size() < total && System.nanoTime() < deadline) {
            for (WorkItem<String, String> item = deferred.takeAll(); item != null; item = item.nextDeferred) {
                if (!taken.add(item.record().offset()) || item.completedNanos != item.record().offset()) {
                    duplicates++;
                }
            }
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(deferred.takeAll()).as("nothing left").isNull();
        assertThat(duplicates).as("each taken once, with its own completion time").isZero();
        assertThat(taken).hasSize(total);
    }
}
