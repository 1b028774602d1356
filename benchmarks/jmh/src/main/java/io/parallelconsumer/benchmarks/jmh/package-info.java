/** JMH benchmarks of the control plane's hot paths. */
package io.parallelconsumer.benchmarks.jmh;
