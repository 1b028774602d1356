/**
 * The work manager: which fetched record may run next under the chosen ordering, and what is queued, running or
 * incomplete. It knows nothing of the engine that runs the records. {@link io.parallelconsumer.internal.work.WorkManager}
 * is the facade and owns the one lock; the package-private helpers it delegates to (assignment, intake, ready
 * queue, one-queue mode, batches, wake-ups, counts) take none of their own. The poller, the offset committer and
 * the engines each see it through a role interface. Design notes: {@code docs/design/scheduler.md}.
 */
package io.parallelconsumer.internal.work;
