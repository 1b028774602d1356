/**
 * Listener infrastructure, plain Spring: endpoints, the registry that owns their consumers and runs their life
 * cycle, the adapter that invokes listener methods, and the configurer that builds a consumer from a listener's
 * settings. Nothing here needs Spring Boot's auto-configuration.
 */
package io.parallelconsumer.spring.listener;
