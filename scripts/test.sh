#!/usr/bin/env bash
# Runs every test: unit and database tests, data validation, dialogue stories,
# the held-out NLU evaluation and the live server tests. Fails on the first error.
set -euo pipefail
cd "$(dirname "$0")/.."
RASA=.venv/bin/rasa
start=$(date +%s)
step() { echo; echo "=== $* ($(( $(date +%s) - start ))s)"; }

step "rasa data validate"
"$RASA" data validate --fail-on-warnings --domain domain --data data/nlu data/rules data/stories

step "pytest: parser, recommender, actions, database (SQLite + PostgreSQL), live servers"
.venv/bin/python -m pytest -p no:cacheprovider "$@"

step "rasa test: dialogue stories"
rm -rf results/core
"$RASA" test core --model models/quiz.tar.gz --stories tests/stories \
  --fail-on-prediction-errors --out results/core --no-plot
.venv/bin/python -c "
import json
r = json.load(open('results/core/story_report.json'))
print('Test stories: %d conversations, accuracy %.3f' % (r['conversation_accuracy']['total'], r['conversation_accuracy']['accuracy']))
" 2>/dev/null || true

step "NLU evaluation on the held-out test file"
.venv/bin/python scripts/nlu_eval.py

step "all tests passed in $(( $(date +%s) - start ))s"
