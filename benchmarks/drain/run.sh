#!/usr/bin/env bash
# Builds the drain benchmark if needed and runs it: bash benchmarks/drain/run.sh --help
# JAVA=/path/to/java picks the JVM (for example a JDK 21+ for the virtual-thread engine); JAVA_OPTS its options.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [ ! -f "$here/target/classpath.txt" ] || [ -n "${REBUILD:-}" ]; then
    (cd "$root" && mvn -q -B -ntp package -DskipTests -pl benchmarks/drain -am)
fi
exec "${JAVA:-java}" ${JAVA_OPTS:--Xmx1g} -Dlogback.configurationFile=drain-logback.xml -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
    io.parallelconsumer.benchmarks.drain.DrainBenchmark "$@"
