#!/usr/bin/env bash
# Audits requirements.lock for known vulnerabilities with pip-audit, using PyPI's
# vulnerability data (its per-release JSON API, /pypi/NAME/VERSION/json).
# Fails on any finding that the table in docs/dependency-audit.md does not accept, on any
# accepted row that is no longer reported, and when the data cannot be had (see audit.py).
#
# pip-audit lives in its own venv, .venv-audit: it needs a newer `packaging` than Rasa 3.6
# allows in .venv. The venv is (re)built from requirements-audit.lock only when that file
# changes (its sha256 is kept in the stamp file). Extra arguments go to pip-audit.
#
# Regenerating requirements-audit.lock (e.g. for a newer pip-audit):
#   py=$(scripts/find_python310.sh) && rm -rf /tmp/venv-audit-lock && $py -m venv /tmp/venv-audit-lock
#   /tmp/venv-audit-lock/bin/pip install pip==24.0 pip-audit==NEW
#   /tmp/venv-audit-lock/bin/pip freeze   # replaces the pins below the two header lines
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-audit
LOCK=requirements-audit.lock
STAMP=$VENV/.installed-lock

want=$(sha256sum "$LOCK" | cut -d' ' -f1)
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$want" ] || [ ! -x "$VENV/bin/pip-audit" ]; then
  rm -rf "$VENV"
  py=$(scripts/find_python310.sh)
  echo "Creating $VENV with $py from $LOCK"
  "$py" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade pip==24.0
  "$VENV/bin/python" -m pip install --quiet --no-deps -r "$LOCK"
  "$VENV/bin/python" -m pip check
  echo "$want" > "$STAMP"
fi

exec "$VENV/bin/python" scripts/audit.py "$@"
