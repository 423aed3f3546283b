#!/usr/bin/env bash
# Prints one plain line "N passed, N failed" summed over every TRX file, so a run that executed no
# test (or lost a project) cannot pass unnoticed. Exits non-zero when nothing ran.
set -euo pipefail
dir=${1:-TestResults}
passed=0; failed=0; files=0
for trx in "$dir"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
echo "$passed passed, $failed failed"
[ "$files" -gt 0 ] && [ "$passed" -gt 0 ]
