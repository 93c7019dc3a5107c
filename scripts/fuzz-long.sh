#!/usr/bin/env bash
# Long fuzz runs: every proptest target in crates/rapporteur/tests/fuzz.rs for at least
# SECONDS (default 600) of CPU time each (CPU, not wall, so that a busy machine does not
# shorten the run), in batches of growing size with fresh random seeds, one target
# at a time on one thread. Prints one TSV row per target (cases passed, seconds, result) and
# stops a target at its first failure (proptest writes the case to the regressions file).
#
#   scripts/fuzz-long.sh [SECONDS] [TARGET...]
#
# See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true

bin=$(cargo test --release -p rapporteur --test fuzz --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json,sys
for l in sys.stdin:
    m=json.loads(l)
    if m.get("reason")=="compiler-artifact" and m["target"]["name"]=="fuzz" and m.get("executable"): print(m["executable"])')
# A private copy, so that rebuilding the workspace meanwhile does not swap the binary.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$bin" "$work/fuzz"
commit=$(git rev-parse --short HEAD)

if [ $# -eq 0 ]; then
    set -- $("$work/fuzz" --list 2>/dev/null | sed -n 's/: test$//p' | grep -v '^found_')
fi

printf 'target\tcases\tcpu_seconds\twall_seconds\tresult\tcommit\n'
for target in "$@"; do
    cases=0 batch=1000 result=pass cpu=0
    start=$(date +%s)
    while [ "$cpu" -lt "$seconds" ]; do
        # The regressions file lives in the source tree; proptest finds it from file!().
        if ! PROPTEST_CASES=$batch /usr/bin/time -f '%U %S' -o "$work/time" \
            "$work/fuzz" --exact "$target" --test-threads 1 >"$work/log" 2>&1; then
            result=FAIL
            cat "$work/log" >&2
            break
        fi
        used=$(awk '{printf "%d", $1 + $2}' "$work/time")
        cpu=$((cpu + used))
        cases=$((cases + batch))
        # Grow the batch while one takes under a minute, so the loop overhead stays small.
        if [ "$used" -lt 60 ]; then batch=$((batch * 2)); fi
    done
    printf '%s\t%d\t%d\t%d\t%s\t%s\n' "$target" "$cases" "$cpu" $(( $(date +%s) - start )) "$result" "$commit"
done
