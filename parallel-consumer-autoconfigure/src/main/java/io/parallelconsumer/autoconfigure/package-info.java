/**
 * Spring Boot auto-configuration: the {@code parallel-consumer.*} properties, and the configurations that wire the
 * listener infrastructure, meters, health, the endpoint and the reset beans, each backing off when the application
 * defines its own bean.
 */
package io.parallelconsumer.autoconfigure;
