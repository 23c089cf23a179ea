#!/usr/bin/env bash
# Side by side in one run on this machine: our vector and naive backends (JMH), PyTorch's CPU char-RNN
# and OpenBLAS sgemm (the peer scripts in ../shared/peers, see their README for the Debian packages),
# and the FMA peak. Writes the raw output to OUT (default bench-results.txt).
# Usage: rnn-bench/compare.sh [OUT]      env: PEERS=dir of the peer scripts, QUICK=1 for short JMH runs
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-bench-results.txt}
PEERS=${PEERS:-../shared/peers}
PY=${PY:-/usr/bin/python3}
. .mvn/find-jdk.sh
rnn_find_jdk
./build -q -DskipTests -pl rnn-bench -am package
if [ -n "${QUICK:-}" ]; then JMH_OPTS="-f 1 -wi 2 -w 1 -i 3 -r 1"; else JMH_OPTS="-f 1 -wi 3 -w 2 -i 5 -r 2"; fi
jmh() { "$JAVA_HOME/bin/java" -jar rnn-bench/target/benchmarks.jar $JMH_OPTS "$@" 2>&1 | grep -E '^(Benchmark|[A-Z][A-Za-z]+Benchmark\.)'; }
{
  echo "# $(date -u +%FT%TZ) cpu:$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2) | $(nproc) cpus"
  echo "# java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "## FMA peak (C, one core, widest vectors this CPU runs)"
  gcc -O2 -march=native -o /tmp/rnn_fma_peak rnn-bench/peak/fma_peak.c && /tmp/rnn_fma_peak
  echo "## ours: GEMM (us/op; GFLOP/s = 2mnk / (us/op) / 1000)"
  jmh GemmBenchmark -p shape=32x512x512,32x256x256,32x512x2048,1x512x2048 -p form=NN,TN,NT -p backend=vector -p threads=1
  jmh GemmBenchmark -p shape=32x512x512 -p form=NN -p backend=naive -p threads=1
  echo "## ours: training step, batch 32 x 35 steps (ops/s; tokens/s = 1120 * ops/s)"
  jmh TrainStepBenchmark -p hidden=256,512 -p threads=1,2 -p backend=vector
  jmh TrainStepBenchmark -p hidden=256,512 -p threads=1 -p backend=naive
  echo "## ours: batch-1 generation (chars/s)"
  jmh GenerateBenchmark -p backend=vector,naive
  echo "## OpenBLAS sgemm through numpy, 1 thread"
  OPENBLAS_NUM_THREADS=1 "$PY" "$PEERS/sgemm/sgemm_bench.py" --reps 5
  echo "## PyTorch char-RNN, 1 thread"
  for h in 256 512; do "$PY" "$PEERS/torch_charlm.py" --cell rnn --hidden $h --threads 1; done
  echo "## PyTorch char-RNN h=512, 2 threads (OpenBLAS 1 thread)"
  "$PY" "$PEERS/torch_charlm.py" --cell rnn --hidden 512 --threads 2 --blas-threads 1
} 2>&1 | tee "$OUT"
echo "wrote $OUT"
