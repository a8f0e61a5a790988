#!/usr/bin/env bash
# Runs every test: unit and database tests, data validation, dialogue stories,
# the held-out NLU evaluation and the live server tests. Fails on the first error.
set -euo pipefail
cd "$(dirname "$0")/.."
RASA=.venv/bin/rasa
start=$(date +%s)
step() { echo; echo "=== $* ($(( $(date +%s) - start ))s)"; }

step "rasa data validate"
# shellcheck disable=SC2046  # the arguments are words by design
"$RASA" data validate --fail-on-warnings $(.venv/bin/python -m devtools.training)

step "pytest: parser, recommender, actions, database (SQLite + PostgreSQL), live servers, browser"
mkdir -p results
.venv/bin/python -m pytest -p no:cacheprovider --junitxml=results/pytest.xml "$@"
pytest_passed=$(.venv/bin/python -c "
import xml.etree.ElementTree as ET
s = ET.parse('results/pytest.xml').getroot().find('testsuite')
print(int(s.get('tests')) - int(s.get('failures')) - int(s.get('errors')) - int(s.get('skipped')))")

step "rasa test: dialogue stories"
rm -rf results/core
"$RASA" test core --model models/quiz.tar.gz --stories tests/stories \
  --fail-on-prediction-errors --out results/core --no-plot
stories=$(.venv/bin/python -c "
import json
r = json.load(open('results/core/story_report.json'))
print(r['conversation_accuracy']['total'])")
echo "Test stories: ${stories} conversations, all predicted correctly"

step "NLU evaluation on the held-out test file"
.venv/bin/python scripts/nlu_eval.py

step "all tests passed in $(( $(date +%s) - start ))s"
# pytest cases + test stories + data validation + held-out NLU evaluation
echo "tests: $(( pytest_passed + stories + 2 )) passed, 0 failed"
