#!/usr/bin/env bash
# Re-run the tutorials that execute the radioresistance model and paste their real
# console outputs (python tests/test_tutorials.py --update-outputs), after the model's
# rules, rates or metadata change.  Run from anywhere; it works on the checkout that
# holds this script (PYTHONPATH points at it, so the checkout's signet is the one run).
#
#   bash docs/_scripts/refresh_tutorials.sh            # all tutorials that use the model
#   bash docs/_scripts/refresh_tutorials.sh 03 09      # only these
#
# Outputs containing '...' lines are not rewritten (the runner lists them: edit by hand),
# and pycon (doctest) blocks never are: re-run the tutorial test afterwards and fix what
# it still reports.  Then re-read the prose around every changed output: the numbers a
# sentence quotes are listed in the tut branch's report (docs quoting model numbers).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"

# every tutorial that reads networks/radioresistance.* (01 and 08 use their own models)
MODEL_TUTORIALS=(02 03 04 05 06 07 09)
selected=("${@:-${MODEL_TUTORIALS[@]}}")

for number in "${selected[@]}"; do
    files=(docs/tutorials/"$number"-*.md)
    if [[ ! -f "${files[0]}" ]]; then
        echo "no tutorial docs/tutorials/$number-*.md" >&2
        exit 2
    fi
    for file in "${files[@]}"; do
        echo "== $file"
        # the runner exits 1 when outputs differed (they are now pasted): keep going
        nice -n 10 python tests/test_tutorials.py --update-outputs "$file" || true
    done
done
echo "done; check with: PYTHONPATH=$ROOT pytest tests/test_tutorials.py -q" >&2
exit 0
