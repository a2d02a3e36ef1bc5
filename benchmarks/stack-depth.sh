#!/usr/bin/env bash
# Levels of recursion, one cleanup per level, before the stack overflows: each defer strategy beside
# try/finally (dev.defer.benchmarks.StackDepth), in the JIT modes that matter (issue 9, item 3).
#   fresh JVM, 1 MB (the default thread stack): default flags; -XX:-BackgroundCompilation (a method waits for
#   its compiled code, so the result does not depend on how busy the machine is); -Xint; -Xcomp. One JVM per
#   shape, so that each meets the runtime as cold as a fresh program does.
#   warmed up (every shape run 200 levels deep 20,000 times first; the best of three rounds), 16 MB: default
#   flags (tiered, as a warmed-up program runs: C2's code at the top), C1 only (-XX:TieredStopAtLevel=3) and
#   C2 only (-XX:-TieredCompilation), in levels per MB.
# Usage: benchmarks/stack-depth.sh   (from anywhere; JAVA chooses the java command). Prints a line
#   # DATE, commit, java -version, load average
# then one block per mode:
#   == MODE | COMMAND
#   SHAPE LEVELS levels PER_MB levels/MB [RATIO of try/finally]
# benchmarks/run.sh runs it and benchmarks-report turns its output into docs/performance.md's "Stack depth".
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=${JAVA:-java}
CP=(-javaagent:defer-agent/target/defer-agent.jar -cp benchmarks/target/benchmarks.jar dev.defer.benchmarks.StackDepth)
SHAPES=(TRY_FINALLY OPEN_CODED STACK_RECORD LOOP_RECORD LOOP_LAZY)

fresh() {
  local label=$1; shift
  echo "== fresh JVM, 1 MB stack, $label | $(echo java "$@" "${CP[@]}") fresh 1 SHAPE"
  for shape in "${SHAPES[@]}"; do
    "$JAVA" "$@" "${CP[@]}" fresh 1 "$shape" 2>/dev/null | grep ' levels '
  done
}
warm() {
  local label=$1; shift
  echo "== warmed up, 16 MB stack, $label | $(echo java "$@" "${CP[@]}") warm 16"
  "$JAVA" "$@" "${CP[@]}" warm 16 2>/dev/null | grep ' levels '
}

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $("$JAVA" -version 2>&1 | head -n 1), load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
fresh "default flags"
fresh "-XX:-BackgroundCompilation" -XX:-BackgroundCompilation
fresh "-Xint" -Xint
fresh "-Xcomp" -Xcomp
warm "default flags (tiered: C1, then C2)"
warm "C1 (-XX:TieredStopAtLevel=3)" -XX:TieredStopAtLevel=3
warm "C2 (-XX:-TieredCompilation)" -XX:-TieredCompilation
