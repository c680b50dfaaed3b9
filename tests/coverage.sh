#!/usr/bin/env bash
# Line coverage of src/wakhan (issue 13: at least 90 %).
#
# 1. the whole suite, as .ci/run runs it;
# 2. the solver-oracle suite once more with Numba's JIT disabled, so that the kernels' Python source
#    is executed and counted (compiled kernels show as uncovered lines). Hypothesis then draws few
#    examples (profile "nojit" in tests/conftest.py): the kernels run as plain Python, ~100x slower.
#
# Extra arguments go to the first pytest run (e.g. -m "not slow"). The data file goes to a temporary
# folder unless COVERAGE_FILE is set; the total after step 1 and the report after step 2 (per file,
# missing lines) are printed, and the script fails when the final total is under 90 %.
set -euo pipefail
cd "$(dirname "$0")/.."
export COVERAGE_FILE="${COVERAGE_FILE:-$(mktemp -d)/.coverage}"
python3 -m pytest -q --cov=wakhan --cov-report= "$@"
echo "line coverage, the suite alone: $(python3 -m coverage report --format=total) %"
NUMBA_DISABLE_JIT=1 WAKHAN_HYPOTHESIS_PROFILE=nojit python3 -m pytest -q -p no:randomly \
    tests/test_solve_oracle.py --cov=wakhan --cov-append \
    --cov-report=term-missing:skip-covered --cov-fail-under=90
