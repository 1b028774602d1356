/**
 * Records as fetched: keeping their original key and value bytes, for a failure policy that publishes them unchanged
 * (a dead-letter topic), without showing the handler anything it would not otherwise see.
 */
package io.parallelconsumer.internal.fetch;
