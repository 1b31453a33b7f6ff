#!/usr/bin/env bash
# Runs every benchmark once, quickly, to prove they all still work (no timing is checked): one fork, one short
# warmup and measurement iteration, the smallest store size. Exits non-zero if any benchmark fails.
# Usage: benchmarks/smoke.sh [extra JMH options]     (build first: ./mvnw -f benchmarks/pom.xml package)
# The JVM is $JAVA_HOME/bin/java when JAVA_HOME is set, else java from the PATH.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  echo "smoke.sh: $jar is missing: build it with ./mvnw -B -f benchmarks/pom.xml package" >&2
  exit 2
fi
java="java"
if [ -n "${JAVA_HOME:-}" ]; then
  java="$JAVA_HOME/bin/java"
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# -foe true: stop at the first benchmark that throws, and exit non-zero.
"$java" -jar "$jar" -foe true -f 1 -wi 1 -i 1 -w 200ms -r 200ms -p entries=1000 \
    -rf json -rff "$out/smoke.json" "$@" | tee "$out/smoke.log"
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  echo "smoke.sh: JMH exited with status $status" >&2
  exit "$status"
fi
expected=$("$java" -jar "$jar" -l "$@" | grep -c '^io\.dynamicshare\.bench\.' || true)
ran=$(grep -c '"benchmark"' "$out/smoke.json" || true)
if grep -q '<failure>' "$out/smoke.log" || [ "$ran" -eq 0 ]; then
  echo "smoke.sh: a benchmark failed (results for $ran runs)" >&2
  exit 1
fi
echo "smoke.sh: OK: $expected benchmarks, $ran benchmark/parameter runs, none failed"
