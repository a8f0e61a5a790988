#!/usr/bin/env bash
# Starts the action server (127.0.0.1:5055) and then the Rasa server or `rasa shell`;
# `run` also starts the web page with the chat widget (web/server.py, port WEB_PORT).
# Usage: scripts/serve.sh [run|shell]   (called by `make run` / `make shell`)
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-run}
RASA=.venv/bin/rasa
MODEL=models/quiz.tar.gz
# endpoints.scaled.yml (with SANIC_WORKERS=2) for several workers; see README.
RASA_ENDPOINTS=${RASA_ENDPOINTS:-endpoints.yml}
RASA_PORT=${RASA_PORT:-5005}
RASA_INTERFACE=${RASA_INTERFACE:-127.0.0.1}
ACTION_PORT=5055
WEB_PORT=${WEB_PORT:-8080}
# Origins allowed by CORS (Rasa's --cors and the socket.io channel): the page's own.
WEB_ORIGINS=${WEB_ORIGINS:-http://localhost:${WEB_PORT},http://127.0.0.1:${WEB_PORT}}
export WEB_ORIGINS
IFS=', ' read -r -a cors_origins <<< "$WEB_ORIGINS"
mkdir -p var
# Serving settings (scripts/serving.env); values already in the environment win.
while IFS='=' read -r key value; do
  if [[ "$key" =~ ^[A-Z_][A-Z0-9_]*$ ]] && [ -z "${!key:-}" ]; then export "$key=$value"; fi
done < scripts/serving.env

if [ -z "${RASA_AUTH_TOKEN:-}" ]; then
  RASA_AUTH_TOKEN=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(24))')
  generated=1
fi

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if curl -fsS "http://127.0.0.1:${ACTION_PORT}/health" >/dev/null 2>&1; then
  echo "ERROR: port ${ACTION_PORT} is already in use (another action server?). Stop it first." >&2
  exit 1
fi
echo "Starting the action server on 127.0.0.1:${ACTION_PORT} (log: var/actions.log)"
SANIC_HOST=127.0.0.1 "$RASA" run actions --port "$ACTION_PORT" > var/actions.log 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:${ACTION_PORT}/health" >/dev/null 2>&1 && break
  kill -0 "${pids[0]}" 2>/dev/null || { echo "ERROR: the action server failed; see var/actions.log" >&2; tail -20 var/actions.log >&2; exit 1; }
  sleep 0.5
done

if [ "$mode" = shell ]; then
  "$RASA" shell --model "$MODEL" --endpoints "$RASA_ENDPOINTS"
  exit 0
fi

if curl -fsS "http://127.0.0.1:${WEB_PORT}/" >/dev/null 2>&1; then
  echo "ERROR: port ${WEB_PORT} is already in use (another page server?). Stop it or set WEB_PORT." >&2
  exit 1
fi
echo "Starting the web page server on port ${WEB_PORT} (log: var/web.log)"
RASA_PORT="$RASA_PORT" RASA_INTERFACE="$RASA_INTERFACE" \
  .venv/bin/python web/server.py --port "$WEB_PORT" > var/web.log 2>&1 &
web_pid=$!
pids+=("$web_pid")
for _ in $(seq 1 40); do
  curl -fsS "http://127.0.0.1:${WEB_PORT}/" >/dev/null 2>&1 && break
  kill -0 "$web_pid" 2>/dev/null || { echo "ERROR: the web page server failed; see var/web.log" >&2; tail -5 var/web.log >&2; exit 1; }
  sleep 0.25
done

echo
echo "Rasa server:   http://${RASA_INTERFACE}:${RASA_PORT}  (REST: POST /webhooks/rest/webhook)"
echo "Web page:      http://127.0.0.1:${WEB_PORT}/  (chat widget; CORS: ${WEB_ORIGINS})"
if [ -n "${generated:-}" ]; then
  echo "HTTP API token (generated; set RASA_AUTH_TOKEN to fix it): ${RASA_AUTH_TOKEN}"
else
  echo "HTTP API token: from RASA_AUTH_TOKEN"
fi
echo "Loading the model takes about half a minute (the page shows the chat once Rasa is up); stop with Ctrl+C."
echo
"$RASA" run --model "$MODEL" --endpoints "$RASA_ENDPOINTS" --credentials credentials.yml \
  --interface "$RASA_INTERFACE" --port "$RASA_PORT" \
  --enable-api --auth-token "$RASA_AUTH_TOKEN" --cors "${cors_origins[@]}" &
rasa_pid=$!
pids+=("$rasa_pid")
wait "$rasa_pid"
