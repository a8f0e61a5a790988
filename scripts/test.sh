#!/usr/bin/env bash
# Runs every test after `make lint`: data validation, pytest (unit, integration, e2e),
# the dialogue stories, the held-out NLU evaluation, and a check that no process the
# tests started is still running. Fails on the first error.
# Extra arguments go to pytest instead of the default test folders.
set -euo pipefail
cd "$(dirname "$0")/.."
RASA=.venv/bin/rasa
PY=.venv/bin/python
start=$(date +%s)
step() { echo; echo "=== $* ($(( $(date +%s) - start ))s)"; }

# Every process the tests start inherits this id; devtools.leftovers finds those still
# running at the end (a Rasa worker that outlived its server keeps ~1 GB and a port).
QUIZ_TEST_RUN_ID=$("$PY" -c 'import uuid; print(uuid.uuid4().hex)')
export QUIZ_TEST_RUN_ID
# On a failure, say what was left behind too (the exit status stays the failure's).
trap 'status=$?; if [ "$status" -ne 0 ]; then "$PY" -m devtools.leftovers --grace 10 || true; fi' EXIT

step "rasa data validate"
# shellcheck disable=SC2046  # the arguments are words by design
"$RASA" data validate --fail-on-warnings $("$PY" -m devtools.training)

step "pytest: unit, integration (SQLite + PostgreSQL, live servers), e2e (browser, cluster)"
mkdir -p results
if [ $# -eq 0 ]; then set -- tests/unit tests/integration tests/e2e; fi
# --durations: the slowest tests show in every log (CI has a time budget to watch).
"$PY" -m pytest -p no:cacheprovider --durations=25 --junitxml=results/pytest.xml "$@"
pytest_passed=$("$PY" -c "
import xml.etree.ElementTree as ET
s = ET.parse('results/pytest.xml').getroot().find('testsuite')
print(int(s.get('tests')) - int(s.get('failures')) - int(s.get('errors')) - int(s.get('skipped')))")

step "rasa test: dialogue stories"
rm -rf results/core
"$RASA" test core --model models/quiz.tar.gz --stories tests/stories \
  --fail-on-prediction-errors --out results/core --no-plot
stories=$("$PY" -c "
import json
r = json.load(open('results/core/story_report.json'))
print(r['conversation_accuracy']['total'])")
echo "Test stories: ${stories} conversations, all predicted correctly"

step "NLU evaluation on the held-out test file"
"$PY" scripts/nlu_eval.py

step "no process of this test run left running"
"$PY" -m devtools.leftovers --grace 10

step "all tests passed in $(( $(date +%s) - start ))s"
# pytest cases + test stories + data validation + held-out NLU evaluation + leftover check
echo "tests: $(( pytest_passed + stories + 3 )) passed, 0 failed"
