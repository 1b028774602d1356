package io.parallelconsumer.benchmarks.drain;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The reference of the sleep scenario: the same sleeps on as many threads, without Kafka. */
final class SleepCeiling {

    private SleepCeiling() {
    }

    /**
     * The machine's own limit for the sleep scenario: as many sleeps as records, on as many platform threads as the
     * concurrency, with nothing else to do - what a consumer would reach if it cost nothing. A sleep lasts longer
     * than asked (timer slack, waking up, waiting for a core), and more so the busier the machine is.
     */
    static Result run(int concurrency, long sleepMillis, long sleeps) throws InterruptedException {
        Usage before = Usage.now();
        AtomicLong left = new AtomicLong(sleeps);
        LongAdder done = new LongAdder();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                    while (left.getAndDecrement() > 0) {
                        Thread.sleep(sleepMillis);
                        done.increment();
                    }
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }, "sleep-only-" + i);
            thread.start();
            threads.add(thread);
        }
        long start = System.nanoTime();
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        return new Result(done.sum(), System.nanoTime() - start, Usage.now().since(before));
    }
}
