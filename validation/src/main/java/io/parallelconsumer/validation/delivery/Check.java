package io.parallelconsumer.validation.delivery;

/** A test's own check beside the verdicts of its groups. */
public record Check(String name, boolean passed, String detail) {
}
