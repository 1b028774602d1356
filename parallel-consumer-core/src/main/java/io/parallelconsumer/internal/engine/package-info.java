/**
 * Execution engines: what runs the handler on each record (platform threads, virtual threads, or asynchronous
 * handlers), behind one interface the control plane never looks behind.
 */
package io.parallelconsumer.internal.engine;
