#!/usr/bin/env bash
# Our training step against PyTorch's in alternating rounds, for a shared host whose clock moves between
# minutes (compare.sh measures each side once, minutes apart). Each round measures ours (JMH, 3 × 1 s after
# 5 s of warm-up) and then PyTorch's (3 blocks of 1 s) on the same configuration and prints that round's ratio;
# the median of the rounds' ratios is the figure. Two threads are compared with PyTorch's 2 intra-op
# threads over a 1-thread OpenBLAS, its faster 2-thread setting on the machines measured so far.
# Usage: rnn-bench/pairs.sh [ROUNDS] [CELL:HIDDEN:BATCH:THREADS ...]   (default 3 rounds, RNN h=512)
#        env: PEERS=dir of the peer scripts, PY=python with Debian's torch; the bench jar must be built.
#        ISA=avx2 on an AVX-512 machine: both sides held to AVX2, as on an AVX2 machine (ours with
#        -XX:UseAVX=2; PyTorch with ATEN_CPU_CAPABILITY=avx2 and OpenBLAS with OPENBLAS_CORETYPE=Haswell).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
shift || true
CONFIGS=("$@")
[ ${#CONFIGS[@]} -gt 0 ] || CONFIGS=(rnn:512:32:1)
PEERS=${PEERS:-../shared/peers}
PY=${PY:-/usr/bin/python3}
. .mvn/find-jdk.sh
. rnn-bench/machine.sh
rnn_find_jdk
JAR=rnn-bench/target/benchmarks.jar
JVM_ARGS="--add-modules=jdk.incubator.vector"
PEER_ENV=()
case "${ISA:-}" in
  "") rnn_peer_openblas ;;
  avx2) JVM_ARGS="$JVM_ARGS -XX:UseAVX=2"; PEER_ENV=(ATEN_CPU_CAPABILITY=avx2); export OPENBLAS_CORETYPE=Haswell ;;
  *) echo "pairs.sh: ISA=$ISA: only avx2 is known" >&2; exit 2 ;;
esac
[ -f "$JAR" ] || { echo "pairs.sh: build $JAR first: ./build -q -DskipTests -pl rnn-bench -am package" >&2; exit 2; }

ours() { # tokens/s of our step, JMH's mean over 3 iterations after 5 s of warm-up: C2's last compilations
  # of the kernels land 3-5 s in (RNN h=512 with 2 s of warm-up on Zen 5: 49.7, 53.8, 61.5 ops/s in seconds 3-5)
  "$JAVA_HOME/bin/java" -jar "$JAR" -f 1 -wi 5 -w 1 -i 3 -r 1 -jvmArgsAppend "$JVM_ARGS" TrainStepBenchmark -p backend=vector \
    -p cell="$1" -p hidden="$2" -p batch="$3" -p threads="$4" 2>/dev/null \
    | awk -v b="$3" '/^TrainStepBenchmark\.trainStep / { printf "%.0f", $(NF - 3) * b * 35 }'
}
peer() { # tokens/s of PyTorch's step, the median of 3 blocks; OpenBLAS on 1 thread at any thread count
  env "${PEER_ENV[@]}" OPENBLAS_NUM_THREADS=1 "$PY" "$PEERS/torch_charlm.py" --cell "$1" --hidden "$2" --batch "$3" \
    --threads "$4" --blas-threads 1 --block-seconds 1 --blocks 3 --gen-chars 50 2>/dev/null \
    | awk '/mode=train/ { for (i = 1; i <= NF; i++) if ($i ~ /^tokens_per_s=/) { split($i, t, "="); print t[2] } }'
}

echo "$(rnn_machine) | rounds: ours, then PyTorch${ISA:+ | both held to $ISA} | OpenBLAS ${OPENBLAS_CORETYPE:-picks its kernels}"
for cfg in "${CONFIGS[@]}"; do
  IFS=: read -r cell hidden batch threads <<<"$cfg"
  ratios=()
  for r in $(seq 1 "$ROUNDS"); do
    o=$(ours "$cell" "$hidden" "$batch" "$threads") || o=""
    p=$(peer "$cell" "$hidden" "$batch" "$threads") || p=""
    [ -n "$o" ] || { echo "pairs.sh: no figure from our benchmark for $cfg (a cell, hidden size or batch it lacks?)" >&2; exit 1; }
    [ -n "$p" ] || { echo "pairs.sh: no figure from $PEERS/torch_charlm.py for $cfg (is Debian's python3-torch installed?)" >&2; exit 1; }
    ratio=$(awk -v o="$o" -v p="$p" 'BEGIN { printf "%.2f", o / p }')
    ratios+=("$ratio")
    printf "%-5s h=%-5s batch %-4s %s thread(s)  round %d  ours %8s  PyTorch %8s tokens/s  %sx\n" \
      "$cell" "$hidden" "$batch" "$threads" "$r" "$o" "$p" "$ratio"
  done
  printf "%-5s h=%-5s batch %-4s %s thread(s)  median of %d rounds: %sx\n" "$cell" "$hidden" "$batch" "$threads" \
    "$ROUNDS" "$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
done
