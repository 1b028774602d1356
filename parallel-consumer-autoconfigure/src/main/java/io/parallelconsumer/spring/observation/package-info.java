/** Each record's processing as a Micrometer Observation: a span that continues the trace of the record's headers. */
package io.parallelconsumer.spring.observation;
