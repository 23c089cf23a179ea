#!/usr/bin/env bash
# Shows that the cell kit catches a wrong derivative: in a throwaway worktree of HEAD, the derivative of
# the elementwise product d(a ⊙ b) = da ⊙ b + a ⊙ db is changed to da ⊙ a + a ⊙ db (the operand swapped),
# then the kit runs over the example's MGU, which is written in the step language. Exits 0 if the kit
# fails (the mutation is caught) and prints the kit's failure line; exits 1 if the mutant survives.
# Usage: rnn-conformance/mutation-check.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'git -C "$root" worktree remove --force "$tmp/tree" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git -C "$root" worktree add --detach -q "$tmp/tree" HEAD
file="$tmp/tree/rnn-api/src/main/java/rnn/api/cell/DerivedLayer.java"
original='ops.mulBlock(bt, c, go, goOff, ldo, val(y), valOff(y, t), valLd[y], 1f, gx, gxOff, ldx);'
mutant='ops.mulBlock(bt, c, go, goOff, ldo, val(x), valOff(x, t), valLd[x], 1f, gx, gxOff, ldx);'
grep -qF "$original" "$file" || { echo "mutation-check: the line to mutate is gone; update this script" >&2; exit 2; }
sed -i "s/$(printf '%s' "$original" | sed 's/[][\.*^$/]/\\&/g')/$mutant/" "$file"
echo "mutant: $mutant"
cd "$tmp/tree"
if ./build -q -o verify -pl examples/mgu-lion -am -DskipTests=false -Dtest='MguCellTest' \
        -Dsurefire.failIfNoSpecifiedTests=false > "$tmp/log" 2>&1; then
    echo "mutation-check: the mutant SURVIVED: the kit did not notice a wrong derivative" >&2
    exit 1
fi
echo "caught:"
grep -m1 -oE "cell mgu, [a-zA-Z]+: .*-Drnn\.kit\.seed=-?[0-9]+" "$tmp/log"
