#!/usr/bin/env bash
# Cells side by side in one run on this machine (JMH, vector backend, one thread, batch 32 x 35 steps):
#  - each built-in cell hand-fused against its step form (the same cell, backward derived);
#  - the fused cells of this tree against those of BEFORE (a git revision; default 05127ec, the last
#    commit before cells became plug-ins), built in a throwaway worktree;
#  - then the bytes each cell allocates per steady-state step (rnn.bench.AllocationProbe).
# Usage: rnn-bench/cells.sh [OUT]     env: BEFORE=rev, QUICK=1 for short JMH runs
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-cells-results.txt}
BEFORE=${BEFORE:-05127ec}
. .mvn/find-jdk.sh
. rnn-bench/machine.sh
rnn_find_jdk
./build -q -DskipTests -pl rnn-bench -am package
tmp="$(mktemp -d)"
trap 'git worktree remove --force "$tmp/before" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git worktree add --detach -q "$tmp/before" "$BEFORE"
(cd "$tmp/before" && ./build -q -DskipTests -pl rnn-bench -am package)
if [ -n "${QUICK:-}" ]; then JMH_OPTS="-f 1 -wi 2 -w 1 -i 3 -r 1"; else JMH_OPTS="-f 1 -wi 3 -w 2 -i 5 -r 2"; fi
jmh() { local jar=$1; shift; "$JAVA_HOME/bin/java" -jar "$jar" $JMH_OPTS "$@" 2>&1 | grep -E '^(Benchmark|[A-Z][A-Za-z]+Benchmark\.)'; }
{
  rnn_machine
  echo "# java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); this tree: $(git rev-parse --short HEAD); before: $BEFORE"
  echo "## this tree: fused cells and their step forms (ops/s; tokens/s = 1120 * ops/s)"
  jmh rnn-bench/target/benchmarks.jar TrainStepBenchmark -p hidden=256,512 -p cell=rnn,rnn-step,gru,gru-step,lstm,lstm-step \
    -p threads=1 -p backend=vector
  echo "## before ($BEFORE): fused cells"
  jmh "$tmp/before/rnn-bench/target/benchmarks.jar" TrainStepBenchmark -p hidden=256,512 -p cell=RNN,GRU,LSTM \
    -p threads=1 -p backend=vector
  echo "## this tree: bytes allocated per training step by the training and worker threads, 9 windows after warm-up"
  "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp rnn-bench/target/benchmarks.jar rnn.bench.AllocationProbe vector 8 40 2>/dev/null
} 2>&1 | tee "$OUT"
echo "wrote $OUT"
