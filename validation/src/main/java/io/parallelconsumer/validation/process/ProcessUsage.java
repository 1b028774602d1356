package io.parallelconsumer.validation.process;

/**
 * CPU (100 % is one core, over half-second samples) and resident memory of one process during a run.
 */
public record ProcessUsage(String process, double cpuAveragePercent, double cpuPeakPercent, double rssAverageMb,
        double rssPeakMb) {
}
