#!/usr/bin/env bash
# Starts the action server (127.0.0.1:ACTION_PORT, default 5055), the web page with the
# chat widget (web/server.py, port WEB_PORT) and the Rasa server under supervisord
# (scripts/supervisord.conf), which restarts any of them that exits; a crash of one
# never stops the others. Ctrl+C (or SIGTERM) stops supervisord and all three.
# `shell` runs `rasa shell` in the foreground with an action server: the one a running
# `make run` serves on ACTION_PORT (its token is in SERVE_VAR_DIR/action_token), else its
# own under supervisord.
# Logs, supervisord's log, pid file and control socket go to SERVE_VAR_DIR (default var/).
# Usage: scripts/serve.sh [run|shell]   (called by `make run` / `make shell`)
set -euo pipefail
cd "$(dirname "$0")/.."

# Kills what is left of program NAME's earlier process group PGID: Sanic's worker
# processes outlive a main process that was killed (kill -9, out of memory) and keep the
# port, so the restarted server could not bind it. Only processes of that group that
# this supervisord started as NAME are killed (checked in their environment), never an
# unrelated group that got the same id later.
kill_leftovers() {
  local name=$1 pgid=$2 pid found=
  for pid in $(pgrep -g "$pgid" 2>/dev/null); do
    [ "$pid" != $$ ] || continue
    if [ "$(tr '\0' '\n' < "/proc/${pid}/environ" 2>/dev/null | grep -cxF \
          -e "SUPERVISOR_PROCESS_NAME=${name}" -e "SUPERVISOR_SERVER_URL=${SUPERVISOR_SERVER_URL}")" = 2 ]
    then
      kill -KILL "$pid" 2>/dev/null && found+=" $pid"
    fi
  done
  [ -z "$found" ] || echo "serve.sh: killed processes left over from the previous ${name}:${found}"
}

# Internal, used by scripts/supervisord.conf: `serve.sh program NAME COMMAND...` clears
# NAME's leftovers, records this process group (supervisord made this process its leader)
# in SERVE_VAR_DIR/NAME.pgid and runs COMMAND in its place.
if [ "${1:-}" = program ]; then
  name=$2
  shift 2
  pgid_file="${SERVE_VAR_DIR:?}/${name}.pgid"
  if old=$(cat "$pgid_file" 2>/dev/null) && [[ "$old" =~ ^[0-9]+$ ]]; then
    kill_leftovers "$name" "$old"
  fi
  echo $$ > "$pgid_file"
  exec "$@"
fi

mode=${1:-run}
case "$mode" in
  run|shell) ;;
  *) echo "Usage: $0 [run|shell]" >&2; exit 2 ;;
esac
RASA=.venv/bin/rasa
SUPERVISORD=.venv/bin/supervisord
CONF=scripts/supervisord.conf
MODEL=models/quiz.tar.gz  # scripts/supervisord.conf names the same file
# endpoints.scaled.yml (with SANIC_WORKERS=2) for several workers; see docs/operations.md.
export RASA_ENDPOINTS=${RASA_ENDPOINTS:-endpoints.yml}
# Shared stores of endpoints.scaled.yml: the machine's PostgreSQL and Redis by default.
export DATABASE_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/quiz}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export ACTION_HOST=${ACTION_HOST:-127.0.0.1}
export RASA_PORT=${RASA_PORT:-5005}
export RASA_INTERFACE=${RASA_INTERFACE:-127.0.0.1}
export ACTION_PORT=${ACTION_PORT:-5055}
export WEB_PORT=${WEB_PORT:-8080}
# Origins allowed by CORS (Rasa's --cors and the socket.io channel): the page's own.
WEB_ORIGINS=${WEB_ORIGINS:-http://localhost:${WEB_PORT},http://127.0.0.1:${WEB_PORT}}
export WEB_ORIGINS
IFS=', ' read -r -a cors_origins <<< "$WEB_ORIGINS"
export SERVE_CORS_ORIGINS="${cors_origins[*]}"  # space-separated for `rasa run --cors`
var_dir=${SERVE_VAR_DIR:-var}
var_dir=${var_dir%/}
mkdir -p "$var_dir"
SERVE_VAR_DIR=$(cd "$var_dir" && pwd)
export SERVE_VAR_DIR
# The repository root on PYTHONPATH (rasa_addons, actions, sitecustomize), as `make` sets it.
case ":${PYTHONPATH:-}:" in
  *":$PWD:"*) ;;
  *) export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" ;;
esac
# Serving settings (scripts/serving.env); values already in the environment win.
while IFS='=' read -r key value; do
  if [[ "$key" =~ ^[A-Z_][A-Z0-9_]*$ ]] && [ -z "${!key:-}" ]; then export "$key=$value"; fi
done < scripts/serving.env
# Request size limits for the Rasa server only (scripts/supervisord.conf sets them there):
# the action server must accept whole trackers, so it must not inherit them.
unset SANIC_REQUEST_MAX_SIZE SANIC_WEBSOCKET_MAX_SIZE

if [ -z "${RASA_AUTH_TOKEN:-}" ]; then
  RASA_AUTH_TOKEN=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(24))')
  generated=1
fi
export RASA_AUTH_TOKEN
# Token of the page server's /insights page; printed once below when generated.
if [ -z "${INSIGHTS_TOKEN:-}" ]; then
  INSIGHTS_TOKEN=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(24))')
  insights_generated=1
fi
export INSIGHTS_TOKEN
# A listener on host:port? (wildcard interfaces are probed on loopback)
port_in_use() {
  local host=$1
  case "$host" in 0.0.0.0|::|"[::]"|"") host=127.0.0.1 ;; esac
  (exec 3<>"/dev/tcp/${host}/$2") 2>/dev/null
}
# `make shell` beside a running `make run` talks to that run's action server.
reuse_actions=
token_file=${SERVE_VAR_DIR}/action_token
if port_in_use 127.0.0.1 "$ACTION_PORT"; then
  if [ "$mode" = shell ] && curl -fsS --max-time 2 "http://127.0.0.1:${ACTION_PORT}/health" >/dev/null 2>&1; then
    reuse_actions=1
  else
    echo "ERROR: port ${ACTION_PORT} is already in use (another action server?). Stop it or set ACTION_PORT." >&2
    exit 1
  fi
fi

# Shared secret the Rasa server sends to the action server (X-Quiz-Action-Token header in
# the endpoints file); a new one per start unless set. Never printed: it is kept in
# SERVE_VAR_DIR/action_token (mode 0600) for a `make shell` beside this run.
own_token_file=
if [ -z "${QUIZ_ACTION_TOKEN:-}" ]; then
  if [ -n "$reuse_actions" ]; then
    if ! QUIZ_ACTION_TOKEN=$(cat "$token_file" 2>/dev/null) || [ -z "$QUIZ_ACTION_TOKEN" ]; then
      echo "ERROR: an action server answers on port ${ACTION_PORT}, but not one that \`make run\` started here (${token_file} is missing). Set QUIZ_ACTION_TOKEN to its token, or stop it." >&2
      exit 1
    fi
  else
    QUIZ_ACTION_TOKEN=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))')
    own_token_file=1  # written below, once the exit trap removes it again
  fi
fi
export QUIZ_ACTION_TOKEN
if [ "$mode" = run ]; then
  if port_in_use "${WEB_INTERFACE:-127.0.0.1}" "$WEB_PORT"; then
    echo "ERROR: port ${WEB_PORT} is already in use (another page server?). Stop it or set WEB_PORT." >&2
    exit 1
  fi
  if port_in_use "$RASA_INTERFACE" "$RASA_PORT"; then
    echo "ERROR: port ${RASA_PORT} is already in use (another Rasa server?). Stop it or set RASA_PORT." >&2
    exit 1
  fi
fi
# Several workers on endpoints.scaled.yml: the tracker schema is created here, once,
# not by workers racing each other at start (rasa_addons/tracker_store.py).
if grep -q '${DATABASE_URL}' "$RASA_ENDPOINTS" 2>/dev/null; then
  .venv/bin/python -m rasa_addons.tracker_store "$DATABASE_URL"
fi
if [ ! -f "$MODEL" ]; then
  echo "ERROR: ${MODEL} is missing: run \`make train\` first" >&2
  exit 1
fi

# How logs are named in messages: relative to the repository when they are inside it.
shown_dir=${SERVE_VAR_DIR#"$PWD"/}
sup_log=${SERVE_VAR_DIR}/supervisord.log
rm -f "${SERVE_VAR_DIR}"/{actions,rasa}.pgid  # process groups of an earlier run
sup_log_start=$(stat -c %s "$sup_log" 2>/dev/null || echo 0)
if [ "$shown_dir" = var ]; then
  ctl=".venv/bin/supervisorctl -c ${CONF}"
else
  ctl=".venv/bin/supervisorctl -s unix://${SERVE_VAR_DIR}/supervisor.sock"
fi

# supervisord runs in its own session (setsid), so signals from the terminal (Ctrl+C,
# hang-up) reach only this script, which stops supervisord with SIGTERM on every exit;
# supervisord stops each program's process group (TERM, KILL after stopwaitsecs).
sup_pid=
cleanup() {
  trap '' HUP INT TERM  # a second Ctrl+C must not cut the shutdown short
  if [ -n "$own_token_file" ]; then rm -f "$token_file"; fi
  if [ -n "$sup_pid" ] && kill -0 "$sup_pid" 2>/dev/null; then
    echo "Stopping the servers (supervisord stops each process group, at most 20 s)" || true
    kill -TERM "$sup_pid" 2>/dev/null || true
    wait "$sup_pid" 2>/dev/null || true
  fi
  # Leftovers of a group whose main process had died just before (see kill_leftovers).
  if [ -n "$sup_pid" ]; then
    SUPERVISOR_SERVER_URL="unix://${SERVE_VAR_DIR}/supervisor.sock"
    for name in actions rasa; do
      old=$(cat "${SERVE_VAR_DIR}/${name}.pgid" 2>/dev/null) || continue
      [[ "$old" =~ ^[0-9]+$ ]] && kill_leftovers "$name" "$old" || true
      rm -f "${SERVE_VAR_DIR}/${name}.pgid"
    done
  fi
}
trap cleanup EXIT
if [ -n "$own_token_file" ]; then
  (umask 077 && printf '%s\n' "$QUIZ_ACTION_TOKEN" > "$token_file")
fi
trap 'exit 129' HUP  # terminal closed
trap 'exit 130' INT
trap 'exit 143' TERM

# host for a URL: wildcard interfaces become loopback, IPv6 addresses get brackets.
url_host() {
  case "$1" in
    0.0.0.0|::|"[::]"|"") echo 127.0.0.1 ;;
    \[*) echo "$1" ;;
    *:*) echo "[$1]" ;;
    *) echo "$1" ;;
  esac
}

# Waits until `url` answers; stops with the program's log when supervisord gave it up,
# fails with a warning after `timeout` seconds (the server may listen elsewhere).
wait_ready() {
  local program=$1 url=$2 what=$3 timeout=$4 started=$SECONDS
  while ! curl -fsS --max-time 2 "$url" >/dev/null 2>&1; do
    if (( SECONDS - started > timeout )); then
      echo "WARNING: the ${what} does not answer at ${url} after ${timeout} s; see ${shown_dir}/${program}.log" >&2
      return 1
    fi
    if ! kill -0 "$sup_pid" 2>/dev/null; then
      echo "ERROR: supervisord stopped; see ${shown_dir}/supervisord.log" >&2
      tail -n 20 "$sup_log" >&2 || true
      exit 1
    fi
    if tail -c "+$((sup_log_start + 1))" "$sup_log" 2>/dev/null \
        | grep -q "gave up: ${program} entered FATAL"; then
      echo "ERROR: the ${what} failed to start; see ${shown_dir}/${program}.log" >&2
      tail -n 20 "${SERVE_VAR_DIR}/${program}.log" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
}

if [ "$mode" = shell ] && [ -n "$reuse_actions" ]; then
  echo "Using the action server that answers on 127.0.0.1:${ACTION_PORT} (make run)"
  if port_in_use "$RASA_INTERFACE" "$RASA_PORT"; then
    RASA_PORT=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  fi
  PYTHONPATH=. .venv/bin/python -m rasa_addons.shell shell --model "$MODEL" --endpoints "$RASA_ENDPOINTS" --interface 127.0.0.1 --port "$RASA_PORT"
  exit 0
fi
if [ "$mode" = shell ]; then
  echo "Starting the action server on 127.0.0.1:${ACTION_PORT} under supervisord (log: ${shown_dir}/actions.log)"
  SERVE_START_SERVERS=false setsid "$SUPERVISORD" -c "$CONF" > /dev/null &
  sup_pid=$!
  wait_ready actions "http://127.0.0.1:${ACTION_PORT}/health" "action server" 120 || true
  PYTHONPATH=. .venv/bin/python -m rasa_addons.shell shell --model "$MODEL" --endpoints "$RASA_ENDPOINTS" --interface 127.0.0.1 --port "$RASA_PORT"
  exit 0
fi

echo "Starting under supervisord (restarts a server that exits; log: ${shown_dir}/supervisord.log):"
echo "  the action server on 127.0.0.1:${ACTION_PORT} (log: ${shown_dir}/actions.log)"
echo "  the web page server on port ${WEB_PORT} (log: ${shown_dir}/web.log)"
echo "  the Rasa server on ${RASA_INTERFACE}:${RASA_PORT} (log: ${shown_dir}/rasa.log)"
# supervisord's events go to the terminal, without two start-up notices that sound worse
# than they are (root in a container; the control socket is mode 0700 and has no password).
# The filter ignores the terminal's signals and ends when supervisord closes its output.
SERVE_START_SERVERS=true setsid "$SUPERVISORD" -c "$CONF" > >(
  trap '' HUP INT TERM
  exec grep --line-buffered -v -e ' CRIT Supervisor is running as root' \
    -e " CRIT Server 'unix_http_server' running without any HTTP authentication"
) &
sup_pid=$!
wait_ready actions "http://127.0.0.1:${ACTION_PORT}/health" "action server" 120 || true
wait_ready web "http://$(url_host "${WEB_INTERFACE:-127.0.0.1}"):${WEB_PORT}/" "web page server" 30 || true

echo
echo "Rasa server:   http://${RASA_INTERFACE}:${RASA_PORT}  (REST: POST /webhooks/rest/webhook)"
echo "Web page:      http://127.0.0.1:${WEB_PORT}/  (chat widget; CORS: ${WEB_ORIGINS})"
if [ -n "${generated:-}" ]; then
  echo "HTTP API token (generated; set RASA_AUTH_TOKEN to fix it): ${RASA_AUTH_TOKEN}"
else
  echo "HTTP API token: from RASA_AUTH_TOKEN"
fi
if [ -n "${insights_generated:-}" ]; then
  echo "Insights:      http://127.0.0.1:${WEB_PORT}/insights  (token, generated; set INSIGHTS_TOKEN to fix it: ${INSIGHTS_TOKEN})"
else
  echo "Insights:      http://127.0.0.1:${WEB_PORT}/insights  (token from INSIGHTS_TOKEN)"
fi
echo "Status:        ${ctl} status"
echo "Loading the model takes about half a minute (the page shows the chat once Rasa is up); stop with Ctrl+C."
echo
if wait_ready rasa "http://$(url_host "$RASA_INTERFACE"):${RASA_PORT}/" "Rasa server" 300; then
  echo "The Rasa server is up (log: ${shown_dir}/rasa.log)."
fi
wait "$sup_pid"
