#!/usr/bin/env bash
# Side by side in one run on this machine: our vector and naive backends (JMH), PyTorch's CPU char-RNN
# and OpenBLAS sgemm (the peer scripts in ../shared/peers, see their README for the Debian packages),
# and the FMA peak. Writes the raw output to OUT (default bench-results.txt).
# Usage: rnn-bench/compare.sh [OUT]      env: PEERS=dir of the peer scripts, DATA=dir holding timemachine.txt,
#                                              QUICK=1 for short JMH runs
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-bench-results.txt}
PEERS=${PEERS:-../shared/peers}
PY=${PY:-/usr/bin/python3}
DATA=${DATA:-../shared/data}
. .mvn/find-jdk.sh
. rnn-bench/machine.sh
rnn_find_jdk
./build -q -DskipTests -pl rnn-bench -am package
if [ -n "${QUICK:-}" ]; then JMH_OPTS="-f 1 -wi 2 -w 1 -i 3 -r 1"; else JMH_OPTS="-f 1 -wi 3 -w 2 -i 5 -r 2"; fi
# An AVX-512 machine also measures the 256-bit path (the JIT held to AVX2) and the peers held to AVX2.
avx512=$(rnn_avx512 && echo yes || true)
rnn_peer_openblas
jmh() { "$JAVA_HOME/bin/java" -jar rnn-bench/target/benchmarks.jar $JMH_OPTS "$@" 2>&1 | grep -E '^(Benchmark|[A-Z][A-Za-z]+Benchmark\.)'; }
{
  rnn_machine
  echo "# java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "# OpenBLAS core for the peers: ${OPENBLAS_CORETYPE:-its own choice}${RNN_BLAS_OWN_CORE:+ (by itself it picks $RNN_BLAS_OWN_CORE)}"
  echo "## FMA peak (C, one core, widest vectors this CPU runs)"
  gcc -O2 -march=native -pthread -o /tmp/rnn_fma_peak rnn-bench/peak/fma_peak.c && /tmp/rnn_fma_peak
  # What two vCPUs give at once (a host may run them on one core's two hyperthreads): the 2-thread rows'
  # speed-up is read against it.
  [ "$(nproc)" -lt 2 ] || /tmp/rnn_fma_peak 2
  if [ -n "$avx512" ]; then
    # The 256-bit rows below are read against the 256-bit peak: it differs where AVX-512 lowers the clock
    # or has a pipe of its own (Intel), and equals it where 512-bit operations are split in two (Zen 4).
    gcc -O2 -march=native -mno-avx512f -pthread -o /tmp/rnn_fma_peak256 rnn-bench/peak/fma_peak.c && /tmp/rnn_fma_peak256
  fi
  echo "## ours: GEMM (us/op; GFLOP/s = 2mnk / (us/op) / 1000)"
  jmh GemmBenchmark -p shape=32x512x512,32x256x256,32x512x2048,1x512x2048 -p form=NN,TN,NT,packed -p backend=vector -p threads=1
  jmh GemmBenchmark -p shape=32x512x512 -p form=NN -p backend=naive -p threads=1
  # Each training row against PyTorch comes from alternating rounds (ours, then PyTorch, three times, on the
  # same configuration): one side measured minutes after the other reads the host's phase as much as the code.
  echo "## training step, ours against PyTorch in alternating rounds (rnn-bench/pairs.sh; tokens/s, batch x 35 per step)"
  rnn-bench/pairs.sh 3 rnn:256:32:1 rnn:512:32:1 gru:256:32:1 gru:512:32:1 lstm:256:32:1 lstm:512:32:1 \
    rnn:512:32:2 lstm:512:32:2 rnn:1024:32:1 rnn:512:128:1
  echo "## ours: the naive backend's training step, batch 32 x 35 steps (ops/s; tokens/s = 1120 * ops/s)"
  jmh TrainStepBenchmark -p hidden=256,512 -p threads=1 -p backend=naive
  echo "## ours: two threads against one at h=512, in one-second turns (rnn-bench/ab.sh; JMH runs minutes apart move with the host)"
  for c in rnn lstm; do
    A_PARAMS=threads=1 B_PARAMS=threads=2 rnn-bench/ab.sh . TrainStepBenchmark cell=$c hidden=512 backend=vector batch=32 \
      | awk -v c=$c '/^ops\/s \(wall clock\)/ { print "RESULT bench=turns cell=" c " hidden=512 two_over_one=" $11 " quartiles=" substr($13, 1, length($13) - 1) }'
  done
  if [ -n "$avx512" ]; then
    echo "## ours with the JIT held to AVX2 (-XX:UseAVX=2): the 256-bit path on this AVX-512 machine"
    jmh -jvmArgsAppend "--add-modules=jdk.incubator.vector -XX:UseAVX=2" GemmBenchmark -p shape=32x512x512,32x512x2048 -p form=NN,TN,NT,packed -p backend=vector -p threads=1
    echo "## training step with both sides held to AVX2 (pairs.sh ISA=avx2: ours -XX:UseAVX=2, PyTorch ATEN_CPU_CAPABILITY=avx2 and OPENBLAS_CORETYPE=Haswell), as on an AVX2 machine"
    ISA=avx2 rnn-bench/pairs.sh 3 rnn:256:32:1 rnn:512:32:1 gru:256:32:1 gru:512:32:1 lstm:256:32:1 lstm:512:32:1
  fi
  echo "## ours: the same step as 'rnn train' reports it (whole book, 1 thread, last epoch)"
  for h in 256 512; do
    echo "rnn train --hidden $h --threads 1: $(./rnn train --data-home "$DATA" --max-tokens 0 --val-fraction 0 \
      --hidden $h --threads 1 --epochs 4 --sample-every 0 --out "$(mktemp -d)" 2>/dev/null | grep '^epoch' | tail -1)"
  done
  echo "## ours: batch-1 generation (chars/s)"
  jmh GenerateBenchmark -p backend=vector,naive
  echo "## ours: bytes allocated per training step by the training and worker threads, 9 windows after warm-up"
  "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp rnn-bench/target/benchmarks.jar rnn.bench.AllocationProbe vector 8 40 2>/dev/null
  echo "## ours: JMH -prof gc on the same step (all threads, the harness's included)"
  "$JAVA_HOME/bin/java" -jar rnn-bench/target/benchmarks.jar $JMH_OPTS TrainStepBenchmark -p hidden=512 -p threads=1 \
    -p backend=vector -prof gc 2>&1 | grep -E '^TrainStepBenchmark.trainStep(:gc.alloc.rate.norm)? '
  echo "## OpenBLAS sgemm through numpy, 1 thread"
  OPENBLAS_NUM_THREADS=1 "$PY" "$PEERS/sgemm/sgemm_bench.py" --reps 5
  echo "## PyTorch batch-1 generation, RNN h=512, 1 thread (its mode=generate_b1 line)"
  "$PY" "$PEERS/torch_charlm.py" --cell rnn --hidden 512 --threads 1 --block-seconds 1
  # pairs.sh runs PyTorch's 2 threads over a 1-thread OpenBLAS; these rows show whether that is its best here.
  echo "## PyTorch char-RNN and LSTM h=512, 2 threads (OpenBLAS 1 thread, then 2)"
  for c in rnn lstm; do for b in 1 2; do "$PY" "$PEERS/torch_charlm.py" --cell $c --hidden 512 --threads 2 --blas-threads $b; done; done
  if [ -n "$avx512" ]; then
    # The peer of the [256-bit] GEMM rows: OpenBLAS on its Haswell kernels, what an AVX2 machine runs.
    echo "## OpenBLAS sgemm held to AVX2 (OPENBLAS_CORETYPE=Haswell), 1 thread"
    OPENBLAS_CORETYPE=Haswell OPENBLAS_NUM_THREADS=1 "$PY" "$PEERS/sgemm/sgemm_bench.py" --reps 5
  fi
} 2>&1 | tee "$OUT"
echo "## ours as GFLOP/s and percent of the FMA peak (rnn-bench/percent-of-peak.awk)" | tee -a "$OUT"
awk -f rnn-bench/percent-of-peak.awk "$OUT" | tee -a "$OUT"
echo "wrote $OUT"
