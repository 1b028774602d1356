/**
 * The work manager: which fetched record may run next under the chosen ordering, and what is queued, running or
 * incomplete. It knows nothing of the engine that runs the records.
 */
package io.parallelconsumer.internal.work;
