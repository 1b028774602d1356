/** The {@code parallelconsumers} Actuator endpoint: every listener's settings, state and partitions; pause and resume. */
package io.parallelconsumer.spring.endpoint;
