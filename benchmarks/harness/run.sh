#!/usr/bin/env bash
# Builds the benchmark harness if needed and runs it: bash benchmarks/harness/run.sh --help
# JAVA=/path/to/java picks the JVM (a JDK 21+ adds the virtual-thread run); JAVA_OPTS its options.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [ ! -f "$here/target/classpath.txt" ] || [ -n "${REBUILD:-}" ]; then
    (cd "$root" && mvn -q -B -ntp install -DskipTests -pl benchmarks/harness -am)
fi
cd "$root"
exec "${JAVA:-java}" ${JAVA_OPTS:--Xmx1g} -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
    io.parallelconsumer.benchmarks.harness.Harness "$@"
