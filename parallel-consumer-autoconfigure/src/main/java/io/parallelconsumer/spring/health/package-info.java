/** A health indicator per listener, under {@code parallelConsumers}. */
package io.parallelconsumer.spring.health;
