#!/usr/bin/env bash
# Prints the path of a working Python 3.10 interpreter, or explains and fails.
# Rasa 3.6 supports Python >=3.8,<3.11; this project pins 3.10.
set -u
candidates=()
[ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
candidates+=("$(command -v python3.10 2>/dev/null || true)")
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root 2>/dev/null)
  for dir in "$root"/versions/3.10*; do
    [ -x "$dir/bin/python3.10" ] && candidates+=("$dir/bin/python3.10")
  done
fi
for dir in "$HOME"/.pyenv/versions/3.10* /usr/local/bin /usr/bin; do
  [ -x "$dir/bin/python3.10" ] && candidates+=("$dir/bin/python3.10")
  [ -x "$dir/python3.10" ] && candidates+=("$dir/python3.10")
done
for py in "${candidates[@]}"; do
  [ -n "$py" ] || continue
  # A pyenv shim exists even when 3.10 is not selected; only a working one counts.
  if "$py" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; then
    echo "$py"
    exit 0
  fi
done
cat >&2 <<'MSG'
ERROR: Python 3.10 was not found.
Rasa Open Source 3.6 needs Python 3.8-3.10; this project uses 3.10.
Install it, for example with `pyenv install 3.10.13`, or point PYTHON310 at an
interpreter: `make run PYTHON310=/path/to/python3.10`.
MSG
exit 1
