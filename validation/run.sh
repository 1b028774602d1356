#!/usr/bin/env bash
# Builds the validation suite if needed and runs it: bash validation/run.sh --help
# JAVA=/path/to/java picks the JVM of the suite and of every process it starts.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
if [ ! -f "$here/target/classpath.txt" ] || [ -n "${REBUILD:-}" ]; then
    (cd "$root" && mvn -q -B -ntp install -DskipTests -pl validation -am)
fi
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
cd "$root"
exec "${JAVA:-java}" -Xmx1g -Dvalidation.commit="$commit" -Dlogback.configurationFile=validation-logback.xml \
    -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" io.parallelconsumer.validation.ValidationSuite "$@"
