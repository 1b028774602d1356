/**
 * Offset tracking: which fetched offsets of a partition are complete, and so what may be committed.
 */
package io.parallelconsumer.internal.offset;
