#!/usr/bin/env bash
# Start-up cost of the agent: the CPU time (user + system, from the shell's getrusage) of `java Empty` with no
# agent, with a no-op agent (a transformer that changes nothing, registered as the defer agent registers its
# own), with the defer agent, and with the defer and the no-op agent attached as -agentlib:instrument=JAR, RUNS times each,
# interleaved so that a change in the machine's load hits all five alike. Prints each case's runs and median, then
# the differences of the medians:
#   defer - none    what a user pays on every JVM start with -javaagent
#   noop - none     what any -javaagent costs here (the JVM's share: mostly the CDS archive's module graph, which
#                   the --add-modules java.instrument that -javaagent implies turns off)
#   defer - noop    the defer agent's own share
#   agentlib - none the same agent through the JVM's instrument library, which implies no --add-modules
#                   (class-path applications only: a module-path one does not resolve java.instrument)
#   noop-agentlib - none  the JVM's share of that: any agent jar attached the same way
# Usage: benchmarks/startup.sh [RUNS]  (default 10; JAVA picks the JVM, default java on the PATH; AGENT another agent jar)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-10}
JAVA=${JAVA:-java}
JAVA_BIN_DIR=$(dirname "$(command -v "$JAVA")")
AGENT=${AGENT:-defer-agent/target/defer-agent.jar}
OUT=benchmarks/target/startup
if [ ! -f "$AGENT" ]; then
  mvn -B -q -DskipTests -pl defer-agent -am package
fi
mkdir -p "$OUT"
# The no-op agent's class only in its jar, not beside Empty: found in the class directory first, it would be
# loaded without opening the jar, and the JVM's share for any agent jar (its zip reader) would count as defer's.
rm -f "$OUT/NoopStartAgent.class"
"$JAVA_BIN_DIR/javac" -d "$OUT" benchmarks/src/startup/Empty.java
"$JAVA_BIN_DIR/javac" -d "$OUT/noop" benchmarks/src/startup/NoopStartAgent.java
printf 'Premain-Class: NoopStartAgent\nCan-Retransform-Classes: true\n' > "$OUT/manifest.txt"
(cd "$OUT" && "$JAVA_BIN_DIR/jar" cfm noop-agent.jar manifest.txt -C noop NoopStartAgent.class)

TIMEFORMAT='%3U %3S'
cpu_ms() { # the CPU milliseconds of one run of java "$@"
  { time "$JAVA" "$@" >/dev/null 2>&1 ; } 2>&1 | awk '{ printf "%d\n", ($1 + $2) * 1000 + 0.5 }'
}
declare -A runs=([none]="" [noop]="" [defer]="" [agentlib]="" [noop-agentlib]="")
for ((i = 0; i < RUNS; i++)); do
  runs[none]+=" $(cpu_ms -cp "$OUT" Empty)"
  runs[noop]+=" $(cpu_ms -javaagent:"$OUT/noop-agent.jar" -cp "$OUT" Empty)"
  runs[defer]+=" $(cpu_ms -javaagent:"$AGENT" -cp "$OUT" Empty)"
  # The same agent through the JVM's instrument library: no --add-modules java.instrument, which -javaagent
  # adds and which turns off the CDS archive's module graph (class-path applications only).
  runs[agentlib]+=" $(cpu_ms -agentlib:instrument="$AGENT" -cp "$OUT" Empty)"
  # The JVM's share of that: any agent jar attached the same way.
  runs[noop-agentlib]+=" $(cpu_ms -agentlib:instrument="$OUT/noop-agent.jar" -cp "$OUT" Empty)"
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
"$JAVA" -version 2>&1 | head -n 1
echo "CPU ms of java Empty, $RUNS runs each (user + system):"
declare -A med
for k in none noop defer agentlib noop-agentlib; do
  med[$k]=$(echo "${runs[$k]}" | median)
  printf '  %-13s median %6s   runs:%s\n' "$k" "${med[$k]}" "${runs[$k]}"
done
awk -v n="${med[none]}" -v o="${med[noop]}" -v d="${med[defer]}" -v l="${med[agentlib]}" -v ol="${med[noop-agentlib]}" 'BEGIN {
  printf "defer - none: %+.1f ms   noop - none: %+.1f ms   defer - noop: %+.1f ms   agentlib - none: %+.1f ms   noop-agentlib - none: %+.1f ms   agentlib - noop-agentlib: %+.1f ms\n", d - n, o - n, d - o, l - n, ol - n, l - ol }'
