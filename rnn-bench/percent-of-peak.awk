# Reads compare.sh's raw output and prints every GEMM and training row as GFLOP/s and percent of the FMA
# peak measured in the same run. FLOPs as in docs/performance.md: a GEMM is 2mnk; a training step is three
# passes (forward, dH, dW) over the recurrent and output products, 6 · batch · 35 · (G·h² + 28·h) with G the
# gate count (rnn 1, gru 3, lstm 4); the one-hot input costs no arithmetic and elementwise work is not counted.
# Usage: awk -f rnn-bench/percent-of-peak.awk bench-results.txt
# Training rows measured by pairs.sh (ours and PyTorch in alternating rounds) give the median of our rounds
# and pairs.sh's median of the rounds' ratios to PyTorch, with their range.
# Rows under the -XX:UseAVX=2 heading are marked [256-bit] and read against the 256-bit peak when the run
# measured one (AVX-512 machines); the -prof gc rerun of a step is left out. A "threads=N" peak line (N
# cores at once) is printed as what this host gives N threads, for the N-thread rows' speed-up.
/^## / { tag = $0 ~ /UseAVX=2/ ? " [256-bit]" : ""; skip = $0 ~ /prof gc/ }
/bench=fma_peak/ && /threads=/ { # what N cores give at once: the sum's median window
  for (i = 1; i <= NF; i++) { if ($i ~ /^threads=/) { split($i, nt, "=") } if ($i ~ /^gflops_median=/) { split($i, g, "=") } }
  together[nt[2]] = g[2]; next
}
/bench=fma_peak/ {
  for (i = 1; i <= NF; i++) { if ($i ~ /^isa=/) { split($i, a, "=") } if ($i ~ /^gflops=/) { split($i, g, "=") } }
  if (peak == "") peak = g[2]; else if (a[2] == "AVX2") peak256 = g[2] # the widest first, then 256-bit
}
/bench=turns/ { # compare.sh's ab.sh runs: two threads against one in turns
  for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
  turns[++nturns] = sprintf("%s h=%s: 2 threads / 1 thread, in turns: %.2f x (quartiles %s)", f["cell"], f["hidden"],
                            f["two_over_one"], f["quartiles"])
  next
}
/^GemmBenchmark\.gemm / && !skip {
  split($4, s, "x"); flops = 2 * s[1] * s[2] * s[3]; gf = flops / $8 / 1000
  row[++n] = sprintf("GEMM %-6s %-4s %-12s %s thread(s)  %7.1f GFLOP/s%s", $2, $3, $4, $5, gf, tag); val[n] = gf
  narrow[n] = tag != ""
}
function flops_per_token(cell, h) { return 6 * ((cell ~ /^gru/ ? 3 : cell ~ /^lstm/ ? 4 : 1) * h * h + 28 * h) }
/^TrainStepBenchmark\.trainStep / && !skip {
  # columns: backend, batch (if present), cell, hidden, threads, mode, cnt, score
  if (NF >= 12) { backend = $2; batch = $3; cell = $4; h = $5; t = $6; score = $9 }
  else { backend = $2; batch = 32; cell = $3; h = $4; t = $5; score = $8 }
  gf = flops_per_token(cell, h) * batch * 35 * score / 1e9
  row[++n] = sprintf("train %-6s %-9s h=%-5s batch %-4s %s thread(s)  %9.0f tokens/s  %7.1f GFLOP/s%s", backend, cell, h,
                     batch, t, score * batch * 35, gf, tag); val[n] = gf; threads[n] = t; narrow[n] = tag != ""
}
/ round [0-9]+ +ours / && !skip { # pairs.sh: cell h=H batch B T thread(s) round R ours O PyTorch P tokens/s Rx
  key = $1 " " $2 " " $4 " " $5 tag
  if (!(key in rounds)) { order[++nkeys] = key; pcell[key] = $1; ph[key] = substr($2, 3); pbatch[key] = $4
                          pthreads[key] = $5; ptag[key] = tag }
  r = ++rounds[key]; pours[key, r] = $10; pratio[key, r] = $14 + 0
  next
}
/ median of [0-9]+ rounds: / && !skip { pmedian[$1 " " $2 " " $4 " " $5 tag] = $11 + 0; next }
function median(arr, key, cnt,    i, j, t, v) { # also sets lo and hi, the range of the values
  for (i = 1; i <= cnt; i++) v[i] = arr[key, i]
  for (i = 2; i <= cnt; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
  lo = v[1]; hi = v[cnt]
  return cnt % 2 ? v[(cnt + 1) / 2] : (v[cnt / 2] + v[cnt / 2 + 1]) / 2
}
END {
  if (peak == "") { print "no FMA peak line found"; exit 1 }
  for (q = 1; q <= nkeys; q++) {
    key = order[q]; cnt = rounds[key]
    tps = median(pours, key, cnt); gf = flops_per_token(pcell[key], ph[key]) * tps / 1e9
    median(pratio, key, cnt) # for the range; the median itself is the one pairs.sh printed
    ratio = pmedian[key]
    row[++n] = sprintf("train vector %-9s h=%-5s batch %-4s %s thread(s)  %9.0f tokens/s  %7.1f GFLOP/s%s  %.2f x PyTorch (%d rounds %.2f-%.2f)",
                       pcell[key], ph[key], pbatch[key], pthreads[key], tps, gf, ptag[key], ratio, cnt, lo, hi)
    val[n] = gf; threads[n] = pthreads[key]; narrow[n] = ptag[key] != ""
  }
  printf "FMA peak of one core: %.1f GFLOP/s", peak
  if (peak256 != "") printf "; with 256-bit vectors: %.1f GFLOP/s", peak256
  printf "\n"
  for (c in together) printf "%d cores at once (median 50 ms window): %.1f GFLOP/s = %.2f x one core's peak\n", c, together[c], together[c] / peak
  for (i = 1; i <= nturns; i++) print turns[i]
  for (i = 1; i <= n; i++) {
    cores = (threads[i] > 1) ? threads[i] : 1
    own256 = narrow[i] && peak256 != ""
    printf("%s  %5.1f %% of the%s peak of %d core(s)\n", row[i], 100 * val[i] / ((own256 ? peak256 : peak) * cores),
           own256 ? " 256-bit" : "", cores)
  }
}
