# Sourced by ./build and ./rnn: sets JAVA_HOME to a JDK >= 25, or explains how to get one.
# Order: JAVA_HOME if it is >= 25, else the newest JDK >= 25 under /usr/lib/jvm, ~/.sdkman, ~/.jdks.

rnn_jdk_feature() { # prints the feature version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  local v
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  echo "$v"
}

rnn_find_jdk() {
  local required=25 best="" best_v=0 v d
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(rnn_jdk_feature "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$required" ]; then return 0; fi
  fi
  for d in /usr/lib/jvm/* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$d" ] && [ ! -L "$d" ] || continue
    v=$(rnn_jdk_feature "$d")
    if [ -n "$v" ] && [ "$v" -ge "$required" ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
  done
  if [ -z "$best" ]; then
    echo "error: no JDK $required or newer found (looked at JAVA_HOME, /usr/lib/jvm, ~/.sdkman/candidates/java, ~/.jdks)." >&2
    echo "Install one, e.g. Temurin 25, or point JAVA_HOME at it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
