#!/usr/bin/env bash
# This tree against a git revision on one benchmark, in turns a second apart, for a shared host whose speed
# moves between minutes (two JMH runs a minute apart cannot show a few per cent there). Both builds run
# rnn.bench.Alternate in their own JVM, handing the turn back and forth through two named pipes, so that
# neither runs while the other does: REV, this tree, REV, this tree, ... REV. Each window of this tree is
# read against the geometric mean of the REV windows on either side of it; the figure is the median of
# those ratios, with their quartiles as its spread (an A/A run of one build against itself shows the
# method's own spread on the day).
# Usage: rnn-bench/ab.sh REV BENCHMARK [name=value ...]
#   e.g. rnn-bench/ab.sh HEAD TrainStepBenchmark cell=rnn hidden=512 backend=vector threads=1 batch=32
#   REV "." runs this tree's build on both sides: with A_ARGS and B_ARGS, two JVM flags on one build.
#   env: WINDOWS (default 20), WINDOW_MS (1000), WARMUP windows (5); JVM_ARGS for both sides, A_ARGS for
#   REV's side only, B_ARGS for this tree's only; A_PARAMS and B_PARAMS, name=value pairs added to one
#   side's (e.g. REV "." with A_PARAMS=threads=1 B_PARAMS=threads=2: what a second thread gives).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
REV=$1
shift
WINDOWS=${WINDOWS:-20}
WINDOW_MS=${WINDOW_MS:-1000}
WARMUP=${WARMUP:-5}
. .mvn/find-jdk.sh
. rnn-bench/machine.sh
rnn_find_jdk
tmp="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; git worktree remove --force "$tmp/rev" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
./build -q -DskipTests -pl rnn-bench -am package
if [ "$REV" = . ]; then
  A_JAR=rnn-bench/target/benchmarks.jar
else
  git worktree add --detach -q "$tmp/rev" "$REV"
  (cd "$tmp/rev" && ./build -q -DskipTests -pl rnn-bench -am package)
  A_JAR="$tmp/rev/rnn-bench/target/benchmarks.jar"
fi
# Alternate beside REV's jar, for revisions older than it (REV's own copy, if it has one, comes first).
mkdir -p "$tmp/alt/rnn/bench"
cp rnn-bench/target/classes/rnn/bench/Alternate.class "$tmp/alt/rnn/bench/"
mkfifo "$tmp/to-a" "$tmp/to-b"
BENCH=("$@")
side() { # classpath, turn in, turn out, windows, JVM args, extra parameters, output
  local cp=$1 in=$2 out=$3 n=$4 args=$5 params=$6 log=$7
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" --add-modules=jdk.incubator.vector ${JVM_ARGS:-} $args -cp "$cp" rnn.bench.Alternate \
    "$in" "$out" "$WARMUP" "$n" "$WINDOW_MS" "${BENCH[@]}" $params >"$log" 2>"$log.err" &
}
side "$A_JAR:$tmp/alt" "$tmp/to-a" "$tmp/to-b" $((WINDOWS + 1)) "${A_ARGS:-}" "${A_PARAMS:-}" "$tmp/a.txt"
pa=$!
side rnn-bench/target/benchmarks.jar "$tmp/to-b" "$tmp/to-a" "$WINDOWS" "${B_ARGS:-}" "${B_PARAMS:-}" "$tmp/b.txt"
pb=$!
steal() { awk '$1 == "cpu" { t = 0; for (i = 2; i <= 9; i++) t += $i; print $9, t }' /proc/stat; }
s0=$(steal)
# The first turn, through a descriptor held open read-write: opening the pipe write-only would wait for
# A to open it, for ever if A fails before it does, and the byte would be lost if no one held it open.
exec 3<>"$tmp/to-a"
printf t >&3
# A side that fails would leave the other waiting for its turn for ever: the first failure ends both.
for _ in 1 2; do
  if ! wait -n; then # the two sides are the only background jobs
    kill $pa $pb 2>/dev/null || true
    echo "ab.sh: a side failed (REV's side, then this tree's):" >&2
    cat "$tmp/a.txt.err" "$tmp/b.txt.err" >&2
    exit 1
  fi
done
rnn_machine
echo "# A = $REV ($(git rev-parse --short "${REV/#./HEAD}")) ${A_ARGS:-} ${A_PARAMS:-}; B = this tree ($(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ', with changes')) ${B_ARGS:-} ${B_PARAMS:-}"
read -r st0 t0 <<<"$s0"
read -r st1 t1 <<<"$(steal)"
echo "# ${BENCH[*]}; $WINDOWS windows of $WINDOW_MS ms each after $WARMUP of warm-up; ops/s"
echo "# steal time (the host running something else on these vCPUs): $(awk -v s="$((st1 - st0))" -v t="$((t1 - t0))" 'BEGIN { printf "%.1f", t ? 100 * s / t : 0 }') % of all CPU time during the turns"
awk '
  FNR == 1 { side++ }
  $1 == "window" && $2 >= 0 { w[side, $2] = $3; c[side, $2] = $4; n[side] = $2 + 1 }
  function sort(x, m,   i, j, t) { for (i = 2; i <= m; i++) for (j = i; j > 1 && x[j - 1] > x[j]; j--) { t = x[j]; x[j] = x[j - 1]; x[j - 1] = t } }
  function q(x, m, f,   at) { at = 1 + f * (m - 1); return x[int(at)] + (at - int(at)) * (x[int(at) + 1] - x[int(at)]) }
  function line(what, x, y, r, m) {
    sort(x, m); sort(y, m); sort(r, m)
    printf "%-22s median A %10.3f  B %10.3f;  B/A median %.3f (quartiles %.3f-%.3f)\n", what, q(x, m, 0.5), q(y, m, 0.5), q(r, m, 0.5), q(r, m, 0.25), q(r, m, 0.75)
  }
  END {
    m = n[2]
    print "window  A ops/s   B ops/s   B/A    A ops/cpu-s  B ops/cpu-s  B/A"
    for (i = 0; i < m; i++) {
      rw[i + 1] = w[2, i] / sqrt(w[1, i] * w[1, i + 1]); rc[i + 1] = c[2, i] / sqrt(c[1, i] * c[1, i + 1])
      printf "%6d %9.3f %9.3f  %.3f  %11.3f %11.3f  %.3f\n", i, w[1, i], w[2, i], rw[i + 1], c[1, i], c[2, i], rc[i + 1]
      aw[i + 1] = w[1, i]; bw[i + 1] = w[2, i]; ac[i + 1] = c[1, i]; bc[i + 1] = c[2, i]
    }
    line("ops/s (wall clock)", aw, bw, rw, m)
    line("ops per CPU-second", ac, bc, rc, m)
    printf "(%d windows; per CPU-second leaves out steal time, and counts the spinning of the caller only: read it for 1 thread)\n", m
  }' "$tmp/a.txt" "$tmp/b.txt"
