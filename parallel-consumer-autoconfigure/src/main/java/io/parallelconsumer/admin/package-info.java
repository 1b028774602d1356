/** AdminClient operations that reset topics and consumer groups to a fresh state, for tests, benchmarks and demos. */
package io.parallelconsumer.admin;
