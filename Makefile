# Career-quiz assistant. `make run` installs and starts everything; `make test` runs all tests.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    := .venv
PY      := $(VENV)/bin/python
RASA    := $(VENV)/bin/rasa
STAMP   := $(VENV)/.installed-lock
SPACY   := models/spacy/de_backoffice/meta.json
MODEL   := models/quiz.tar.gz
WEBSTAMP := web/node_modules/.installed-lock
CHROMIUM := /usr/bin/chromium
DATA    := $(shell find data domain -name '*.yml' 2>/dev/null) config.yml
# What Rasa trains and validates on: defined once, in devtools/training.py.
RASA_DATA = $(shell $(PY) -m devtools.training)

# Optional local settings (see .env.example): KEY=value lines, exported to every command.
ifneq (,$(wildcard .env))
include .env
export $(shell sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' .env)
endif

export TF_CPP_MIN_LOG_LEVEL ?= 3
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1
export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED ?= false

.PHONY: help install lint format unit hooks generate spacy train db web browser run shell actions cluster test validate audit lock clean

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS=":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || { py=$$(scripts/find_python310.sh) && echo "Creating $(VENV) with $$py" && $$py -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip==24.0
	$(PY) -m pip install --quiet --no-deps -r requirements.lock
	$(PY) -m pip check
	@touch $@

install: $(STAMP) ## Create .venv (Python 3.10) and install the locked dependencies

lint: install ## ruff check, ruff format --check, mypy and the layering contracts (.importlinter)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

format: install ## Let ruff fix imports and formatting in place
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

unit: install ## Unit tests only, a quarter of the property examples: no trained model, npm or browser
	QUIZ_PROPERTY_EXAMPLE_SHARE=0.25 $(PY) -m pytest -p no:cacheprovider -q tests/unit

hooks: install ## Install the git hooks (.pre-commit-config.yaml: lint on commit, unit tests on push)
	$(VENV)/bin/pre-commit install --hook-type pre-commit --hook-type pre-push

$(SPACY): $(STAMP) data/knowledge/lexicon.yml data/knowledge/ausbildungsberufe.yml \
          data/knowledge/task_examples.yml career_quiz/lexicon.py career_quiz/nlp.py career_quiz/task_model.py \
          data/knowledge/side_examples.yml data/knowledge/side_facts.yml career_quiz/side_model.py
	$(PY) -m career_quiz.cli build-spacy

spacy: $(SPACY) ## Build the German spaCy pipeline and train the work-preference classifier

generate: install ## Rewrite the generated data: data/nlu/lookups.yml (lexicon), data/rules/digressions.yml, action_responses.yml and career_quiz/dialogue.yml (domain, rules)
	$(PY) -m career_quiz.cli build-lookups
	$(PY) -m career_quiz.cli build-rules

$(MODEL): $(SPACY) $(DATA)
	$(RASA) data validate --fail-on-warnings $(RASA_DATA)
	$(RASA) train $(RASA_DATA) --out models --fixed-model-name quiz

train: $(MODEL) ## Train the Rasa model if it is missing or older than its data

db: $(STAMP) ## Create the results schema (QUIZ_DATABASE_URL, default var/quiz.db)
	$(PY) -m career_quiz.cli init-db

$(WEBSTAMP): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "ERROR: npm (Node.js) is needed for the web widget: apt-get install -y nodejs npm" >&2; exit 1; }
	cd web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

web: $(WEBSTAMP) ## Install the chat widget for the web page (rasa-webchat, locked in web/package-lock.json)

browser: ## Install Debian's Chromium for the browser test when it is missing (needs root)
	@test -x $(CHROMIUM) || { echo "Installing Debian's chromium for the browser test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@test -x $(CHROMIUM) || { echo "ERROR: $(CHROMIUM) is missing; install Debian's chromium package" >&2; exit 1; }

run: train db web ## Install, train if needed, and start the action, Rasa and web page servers (supervisord restarts a crashed one)
	scripts/serve.sh

shell: train db ## Chat in the terminal (rasa shell); beside a running make run it uses that action server
	scripts/serve.sh shell

cluster: train web ## Cluster mode in the foreground: nginx :8000, 2 Rasa replicas, 2 action servers, PostgreSQL + Redis (docs/operations.md)
	scripts/cluster.sh

actions: install ## Start only the action server (127.0.0.1:5055; answers only calls with QUIZ_ACTION_TOKEN)
	@test -n "$$QUIZ_ACTION_TOKEN" || { echo "ERROR: set QUIZ_ACTION_TOKEN (the Rasa server must send the same)" >&2; exit 1; }
	SANIC_HOST=127.0.0.1 $(RASA) run actions --port 5055

validate: install ## rasa data validate, failing on warnings
	$(RASA) data validate --fail-on-warnings $(RASA_DATA)

test: lint train web browser ## Lint, then every test (unit, integration: databases and servers, e2e: browser and cluster, dialogue stories, NLU)
	scripts/test.sh

audit: ## Audit the locked dependencies for known vulnerabilities (pip-audit, own venv .venv-audit)
	scripts/audit.sh

lock: ## Re-resolve dependencies from pyproject.toml into requirements.lock
	rm -rf .venv-lock && $$(scripts/find_python310.sh) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet pip==24.0 && .venv-lock/bin/pip install --quiet ".[dev]"
	.venv-lock/bin/pip freeze --all --exclude-editable | grep -v -e '^backoffice-career-quiz' -e '^pip==' > requirements.lock
	rm -rf .venv-lock

clean: ## Remove trained models, results and the virtualenv
	rm -rf models var results $(VENV)

# Measurements (not part of `make test`): numbers and plots land in docs/benchmarks.md.
# Options replace the default --profile, e.g. a short run:
#   make bench BENCH_ARGS="--conversations 2 --rounds 1 --skip-train"
BENCH_ARGS ?= --profile
.PHONY: bench report

bench: train ## Load test (1 and 2 Rasa workers), stock-bot baseline, long conversation, training, start-up
	$(PY) -m bench.run $(BENCH_ARGS)

report: train ## Contextual answers, NLU (held-out + 5-fold CV) and recommender evaluation with plots
	$(PY) -m bench.report $(REPORT_ARGS)
