#!/usr/bin/env bash
# The long property run (issue #16): every property at 100x its CI examples, one at a time,
# niced, each under a time limit, with Hypothesis's statistics kept per property.
#   bash tests/property/long_run.sh [OUTDIR] [PATTERN]   (PATTERN: a -k expression, optional)
# Per property OUTDIR gets NAME.log (pytest output with --hypothesis-show-statistics) and a line
# in OUTDIR/summary.tsv: name, exit code, wall seconds. LIMIT (seconds, default 7200) bounds
# each; PROFILE=N runs N times the CI examples instead of 100.
set -u
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/sysdesign-long}
PATTERN=${2:-}
LIMIT=${LIMIT:-7200}
PROFILE=${PROFILE:-long}  # or a number N: N times the CI examples
mkdir -p "$OUT"
ids=$(.venv/bin/pytest -q --collect-only tests/property ${PATTERN:+-k "$PATTERN"} | grep '::' | grep -v test_found_regressions)
for id in $ids; do
  name=${id##*::}
  start=$(date +%s)
  SYSDESIGN_HYPOTHESIS=$PROFILE nice -n 19 timeout "$LIMIT" .venv/bin/pytest -q -p no:cacheprovider \
    --hypothesis-show-statistics "$id" >"$OUT/$name.log" 2>&1
  rc=$?
  printf '%s\t%s\t%s\n' "$name" "$rc" "$(( $(date +%s) - start ))" >>"$OUT/summary.tsv"
done
