package io.parallelconsumer.validation.delivery;

import java.util.List;

import io.parallelconsumer.validation.report.Environment;
import io.parallelconsumer.validation.run.Profile;
import io.parallelconsumer.validation.verify.Fault;
import io.parallelconsumer.validation.verify.GroupVerdict;

/**
 * One delivery test's result, as written to its JSON file and read back by the report.
 *
 * @param status one of {@link io.parallelconsumer.validation.Status}
 * @param error why it failed or could not run, when not because of a check
 */
public record DeliveryResult(String test, String description, String status, String startedAt, double seconds,
        long seed, int brokers, Profile profile, Environment environment, long failedSends, List<Fault> faults,
        List<GroupVerdict> groups, List<Check> checks, String error) {
}
