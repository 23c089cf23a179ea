# Sourced by the rnn-bench scripts: the line that opens every result file, so that each names its CPU the
# same way (a hypervisor's "model name" can be as bare as "Intel(R) Xeon(R) Processor": family and model
# tell the core).
rnn_machine() {
  echo "# $(date -u +%FT%TZ) cpu:$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2) model $(grep -m1 '^model' /proc/cpuinfo | cut -d: -f2) | $(nproc) cpus"
}

rnn_avx512() {
  grep -qw avx512f /proc/cpuinfo
}

# The peers run OpenBLAS's fastest kernels for this CPU: a machine may set OPENBLAS_CORETYPE=Haswell in its
# environment (one Zen 5 machine did: 77 against 104 GFLOP/s at 32x512x512), and OpenBLAS 0.3.21 may not
# know a new AVX-512 CPU. On an AVX-512 CPU the peer runs the kernels OpenBLAS picks by itself if they are
# AVX-512 ones, else SkylakeX's; PEER_OPENBLAS_CORETYPE chooses others. Needs PY and PEERS.
rnn_peer_openblas() {
  # Once per environment: compare.sh's choice carries into the pairs.sh runs it starts.
  [ -z "${RNN_BLAS_OWN_CORE:-}" ] && rnn_avx512 || return 0
  RNN_BLAS_OWN_CORE=$(env -u OPENBLAS_CORETYPE "$PY" -c "import sys; sys.path.insert(0, '$PEERS'); import blasinfo; print(blasinfo.openblas_core())")
  export RNN_BLAS_OWN_CORE
  case $RNN_BLAS_OWN_CORE in
    SkylakeX|Cooperlake|SapphireRapids) export OPENBLAS_CORETYPE=${PEER_OPENBLAS_CORETYPE:-$RNN_BLAS_OWN_CORE} ;;
    *) export OPENBLAS_CORETYPE=${PEER_OPENBLAS_CORETYPE:-SkylakeX} ;;
  esac
}
