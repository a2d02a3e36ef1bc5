#!/usr/bin/env bash
# Runs the whole benchmark suite once and writes the performance report from that run:
#   1. builds the jars if a source is newer than them (mvn -B -q -DskipTests package, never install);
#   2. Go's anchor benchmarks (benchmarks/go-anchors: go test -bench . -benchmem -count 3), if go is installed;
#   2b. benchmarks/startup.sh 10: the CPU of an empty main with no agent, a no-op agent and the defer agent,
#       interleaved (not in a partial run);
#   3. every JMH benchmark under the agent with -prof gc (3 forks each, the annotations' setting), JMH's JSON to
#      benchmarks/target/jmh-result.json;
#   3b. ClassLoadInterleaved, 5 JVMs of 80 rounds: class loading with no agent, the no-op agent and the defer
#       agent paired shot by shot (not in a partial run);
#   3c. PanicInterleaved, 3 JVMs of 400 rounds: the four panic cases paired in one JVM, the figures for the panic
#       targets (not in a partial run);
#   3d. benchmarks/stack-depth.sh: levels of recursion per strategy before the stack overflows (not in a partial run);
#   4. docs/performance.md and docs/performance.png from those results (benchmarks-report).
#
# Usage: benchmarks/run.sh [--quick] [--no-go] [--no-report] [JMH ARGUMENTS...]
#   --quick (or QUICK=1)  a smoke run of about 5 minutes: 1 fork, 1 warm-up and 2 measured iterations,
#                         Go -count 1, 3 start-up runs, one paired class-loading JVM of 20 rounds and one paired
#                         panic JVM of 100; its results
#                         and report go to benchmarks/target/quick/, not docs/
#   --no-go               skips Go's benchmarks
#   --no-report           skips the report
#   JMH ARGUMENTS         passed on to JMH, after the script's own: a benchmark regexp ('LoopDefer'),
#                         or settings (-f 1 -i 3); such a partial run (or one with --no-go) writes its results
#                         and report to benchmarks/target/partial/, and says "not measured" where it must.
# Only benchmarks/run.sh with no argument rewrites docs/performance.md, docs/performance.png and
# docs/performance-data/.
# Environment: GO_ANCHORS (Go's benchmark folder, default benchmarks/go-anchors),
#              JAVA (the java command, default java).
# The full run takes about 20 minutes on 2 cores (JMH about 15 of them). Its raw results are kept beside the
# report, in docs/performance-data/, so that the report can be redrawn without running again.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

QUICK=${QUICK:-0}
RUN_GO=1
REPORT=1
JMH_EXTRA=()
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    --no-go) RUN_GO=0 ;;
    --no-report) REPORT=0 ;;
    *) JMH_EXTRA+=("$arg") ;;
  esac
done

JAVA=${JAVA:-java}
AGENT=$ROOT/defer-agent/target/defer-agent.jar
BENCH_JAR=$ROOT/benchmarks/target/benchmarks.jar
REPORT_JAR=$ROOT/benchmarks-report/target/benchmarks-report.jar
OUT=$ROOT/benchmarks/target
GO_ANCHORS=${GO_ANCHORS:-$ROOT/benchmarks/go-anchors}

# 1. Build when a jar is missing or older than any source or pom.
needs_build=0
for jar in "$AGENT" "$BENCH_JAR" "$REPORT_JAR"; do
  [ -f "$jar" ] || needs_build=1
done
if [ $needs_build = 0 ] && [ -n "$(find pom.xml ./*/pom.xml ./*/src -newer "$BENCH_JAR" -type f 2>/dev/null | head -n 1)" ]; then
  needs_build=1
fi
if [ $needs_build = 1 ]; then
  echo "== building: mvn -B -q -DskipTests package"
  mvn -B -q -DskipTests package
fi
mkdir -p "$OUT"

if [ "$QUICK" = 1 ]; then
  MODE=quick
  JMH_SETTINGS=(-f 1 -wi 1 -w 1s -i 2 -r 1s)
  GO_COUNT=1
  GO_BENCHTIME=(-benchtime 300ms)
  STARTUP_RUNS=3
  CLASS_LOAD_JVMS=1
  CLASS_LOAD_ROUNDS=20
  PANIC_JVMS=1
  PANIC_ROUNDS=100
  DOCS=$OUT/quick
  RESULTS=$OUT/quick
else
  MODE=full
  JMH_SETTINGS=()   # the annotations' settings (MicroBenchmark, ClassLoadBenchmark)
  GO_COUNT=3
  GO_BENCHTIME=()
  # The targets' verdicts need medians of at least 3: 10 start-ups per case (the start-up target is on medians
  # of 10 runs), 5 class-loading JVMs of 64 counted rounds each (the defer agent's own cost, about 1% of a class
  # definition, is smaller than the spread between JVMs: 0.983-1.044 in three JVMs of one run), 3 panic JVMs of 320.
  STARTUP_RUNS=10
  CLASS_LOAD_JVMS=5
  CLASS_LOAD_ROUNDS=80
  PANIC_JVMS=3
  PANIC_ROUNDS=400
  DOCS=$ROOT/docs
  RESULTS=$OUT
  if [ ${#JMH_EXTRA[@]} -gt 0 ] || [ $RUN_GO = 0 ]; then
    # Only the whole suite rewrites docs/: a partial run reports to benchmarks/target/partial/.
    MODE=partial
    DOCS=$OUT/partial
    RESULTS=$OUT/partial
  fi
fi

mkdir -p "$RESULTS"
INFO=$RESULTS/run-info.properties
JSON=$RESULTS/jmh-result.json
GO_TXT=$RESULTS/go-bench.txt
STARTUP_TXT=$RESULTS/startup.txt
CLASS_LOAD_TXT=$RESULTS/class-load-interleaved.txt
PANIC_TXT=$RESULTS/panic-interleaved.txt
rm -f "$JSON" "$GO_TXT" "$STARTUP_TXT" "$CLASS_LOAD_TXT" "$PANIC_TXT"

COMMAND="benchmarks/run.sh${*:+ $*}"
[ "$QUICK" = 1 ] && [[ " $* " != *" --quick "* ]] && COMMAND="QUICK=1 $COMMAND"
JMH_CMD=("$JAVA" "-javaagent:$AGENT" -jar "$BENCH_JAR" -prof gc -foe true -rf json -rff "$JSON"
  ${JMH_SETTINGS[@]+"${JMH_SETTINGS[@]}"} ${JMH_EXTRA[@]+"${JMH_EXTRA[@]}"})
GO_CMD=(go test -bench . -benchmem -count "$GO_COUNT" ${GO_BENCHTIME[@]+"${GO_BENCHTIME[@]}"})
# The defer agent's jar on the class path, not as -javaagent: ClassLoadInterleaved makes its transformer itself.
CLASS_LOAD_CMD=("$JAVA" -Xms1g -Xmx1g -XX:+AlwaysPreTouch -Djdk.attach.allowAttachSelf=true
  -cp "$BENCH_JAR:$AGENT" dev.defer.benchmarks.ClassLoadInterleaved "${CLASS_LOAD_ROUNDS:-80}")
# The panic cases under the agent, as JMH runs them, with JMH's fork heap settings.
PANIC_CMD=("$JAVA" -Xms1g -Xmx1g -XX:+AlwaysPreTouch "-javaagent:$AGENT"
  -cp "$BENCH_JAR" dev.defer.benchmarks.PanicInterleaved "${PANIC_ROUNDS:-400}")

# Paths relative to the repository in the report, so that it reads the same on every machine.
relative() { local s="$*"; s=${s//$ROOT\//}; echo "${s//$HOME/~}"; }

# The share of the last 5 minutes some task waited for a CPU (Linux PSI), when the kernel tells it.
cpu_pressure() { sed -n 's/^some .*avg300=\([0-9.]*\).*/\1%/p' /proc/pressure/cpu 2>/dev/null || true; }

START_EPOCH=$(date +%s)
{
  echo "command=$COMMAND"
  echo "root=$ROOT"
  echo "mode=$MODE"
  echo "jmh_command=$(relative "${JMH_CMD[@]}")"
  echo "start=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "branch=$(git rev-parse --abbrev-ref HEAD 2>/dev/null || echo unknown)"
  if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then echo "dirty=true"; else echo "dirty=false"; fi
  echo "nproc=$(nproc)"
  echo "cpu_model=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "kernel=$(uname -r)"
  echo "java_version=$("$JAVA" -version 2>&1 | head -n 1)"
  echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "cpu_pressure_start=$(cpu_pressure)"
} > "$INFO"

# 2. Go's anchors, right before the JMH run, on the same machine.
if [ $RUN_GO = 1 ] && command -v go >/dev/null 2>&1 && [ -d "$GO_ANCHORS" ]; then
  echo "== Go: (cd $GO_ANCHORS && ${GO_CMD[*]})"
  echo "go_command=(cd benchmarks/go-anchors && ${GO_CMD[*]})" >> "$INFO"
  { go version; (cd "$GO_ANCHORS" && "${GO_CMD[@]}"); } 2>&1 | tee "$GO_TXT"
else
  echo "== Go: skipped ($( [ $RUN_GO = 0 ] && echo --no-go || echo "no go command or no $GO_ANCHORS"))"
fi

# 2b. Start-up, about 10 seconds, except in a partial run.
if [ "$MODE" != partial ]; then
  echo "== start-up: benchmarks/startup.sh $STARTUP_RUNS"
  echo "startup_command=benchmarks/startup.sh $STARTUP_RUNS" >> "$INFO"
  JAVA=$JAVA AGENT=$AGENT benchmarks/startup.sh "$STARTUP_RUNS" | tee "$STARTUP_TXT"
fi

# 3. JMH under the agent; every fork inherits -javaagent (AgentCheck proves it in each fork).
# JMH refuses to start while another JMH run on the machine holds /tmp/jmh.lock (on a shared machine, another
# user's): wait for it, up to 30 minutes, rather than fail after the steps above, and never run beside it.
echo "== JMH: $(relative "${JMH_CMD[@]}")"
for ((attempt = 1; ; attempt++)); do
  if "${JMH_CMD[@]}" 2>&1 | tee "$RESULTS/jmh-output.txt"; then
    break
  fi
  if ! grep -q 'Unable to acquire the JMH lock' "$RESULTS/jmh-output.txt" || [ $attempt -ge 60 ]; then
    echo "run.sh: JMH failed; its output is above and in $(relative "$RESULTS/jmh-output.txt")" >&2
    exit 1
  fi
  echo "== JMH: another JMH run holds /tmp/jmh.lock; waiting 30 s (attempt $attempt of 60)"
  sleep 30
done

# A paired measurement: JVMS runs of the command, each block headed "== JVM n | COMMAND" in OUT (the report's
# PairedJvms reads them), the command recorded in the run's record under KEY.
# Usage: paired_jvms WHAT KEY JVMS OUT COMMAND...
paired_jvms() {
  local what=$1 key=$2 jvms=$3 out=$4
  shift 4
  echo "${key}_command=$(relative "$@") ($jvms JVMs)" >> "$INFO"
  for ((jvm = 1; jvm <= jvms; jvm++)); do
    echo "== $what, paired, JVM $jvm of $jvms: $(relative "$@")"
    { echo "== JVM $jvm | $(relative "$@")"; "$@" 2>&1; } | tee -a "$out"
  done
}

# 3b. Class loading paired in one JVM, the figure for the defer agent / no-op agent target: JMH's separate forks
# of the same cases differ by more than the agent costs when the machine's load changes (benchmarks/README.md).
if [ "$MODE" != partial ]; then
  paired_jvms "class loading" class_load "$CLASS_LOAD_JVMS" "$CLASS_LOAD_TXT" "${CLASS_LOAD_CMD[@]}"
fi

# 3c. The panic targets paired in one JVM: JMH's separate forks of these cases, each about 90% in fillInStackTrace,
# differ from fork to fork by more than recovering costs (benchmarks/README.md).
if [ "$MODE" != partial ]; then
  paired_jvms panics panic "$PANIC_JVMS" "$PANIC_TXT" "${PANIC_CMD[@]}"
fi

# 3d. Stack depth per strategy (not a time: levels before the stack overflows), except in a partial run.
DEPTH_TXT=$RESULTS/stack-depth.txt
rm -f "$DEPTH_TXT"
if [ "$MODE" != partial ]; then
  echo "== stack depth: benchmarks/stack-depth.sh"
  JAVA=$JAVA benchmarks/stack-depth.sh | tee "$DEPTH_TXT"
fi

END_EPOCH=$(date +%s)
{
  echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "cpu_pressure_end=$(cpu_pressure)"
  echo "duration_s=$((END_EPOCH - START_EPOCH))"
} >> "$INFO"
echo "== run took $(( (END_EPOCH - START_EPOCH) / 60 )) min $(( (END_EPOCH - START_EPOCH) % 60 )) s"

# 4. The report, and the full run's raw results beside it.
if [ "$MODE" = full ]; then
  DATA=$DOCS/performance-data
  mkdir -p "$DATA"
  rm -f "$DATA"/*
  cp "$JSON" "$INFO" "$DATA"/
  [ -f "$GO_TXT" ] && cp "$GO_TXT" "$DATA"/
  [ -f "$DEPTH_TXT" ] && cp "$DEPTH_TXT" "$DATA"/
  [ -f "$STARTUP_TXT" ] && cp "$STARTUP_TXT" "$DATA"/
  [ -f "$CLASS_LOAD_TXT" ] && cp "$CLASS_LOAD_TXT" "$DATA"/
  [ -f "$PANIC_TXT" ] && cp "$PANIC_TXT" "$DATA"/
  echo "data_dir=${DATA#"$ROOT"/}" >> "$INFO"   # relative to the repository, where the report runs
  cp "$INFO" "$DATA"/
fi
if [ $REPORT = 1 ]; then
  mkdir -p "$DOCS"
  "$JAVA" -jar "$REPORT_JAR" --jmh "$JSON" --go "$GO_TXT" --info "$INFO" \
    --markdown "$DOCS/performance.md" --chart "$DOCS/performance.png" --stack-depth "$DEPTH_TXT" \
    --startup "$STARTUP_TXT" --class-load "$CLASS_LOAD_TXT" --panic-paired "$PANIC_TXT"
fi
