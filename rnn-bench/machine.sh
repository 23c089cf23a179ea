# Sourced by the rnn-bench scripts: the line that opens every result file, so that each names its CPU the
# same way (a hypervisor's "model name" can be as bare as "Intel(R) Xeon(R) Processor": family and model
# tell the core).
rnn_machine() {
  echo "# $(date -u +%FT%TZ) cpu:$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2) family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2) model $(grep -m1 '^model' /proc/cpuinfo | cut -d: -f2) | $(nproc) cpus"
}
