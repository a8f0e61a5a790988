#!/usr/bin/env bash
# `make cluster`: the assistant on Rasa's scale-out layout, on this machine, in the
# foreground (Ctrl+C or SIGTERM stops everything):
#   nginx on CLUSTER_HTTP_INTERFACE:CLUSTER_HTTP_PORT (127.0.0.1:8000): the page, REST and
#     socket.io (sticky), balancing two Rasa replicas (5005, 5006; one Sanic worker each);
#   two action servers (5055, 5056) behind nginx's loopback balancer (5050);
#   the machine's PostgreSQL (DATABASE_URL: trackers and results) and Redis (REDIS_URL:
#     the conversation lock).
# Set-up first, once, before any server starts: nginx installed when missing (Debian's
# package), the results schema (Alembic), the tracker schema (rasa_addons.tracker_store),
# the hash salt. Then supervisord (generated config, CLUSTER_VAR_DIR, default var/cluster)
# runs every server and restarts one that exits. Settings: .env.example, "Cluster mode".
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
MODEL=models/quiz.tar.gz

export DATABASE_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/quiz}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export QUIZ_DATABASE_URL=$DATABASE_URL
export ACTION_HOST=127.0.0.1  # endpoints.scaled.yml: nginx's action balancer
export CLUSTER_HTTP_INTERFACE=${CLUSTER_HTTP_INTERFACE:-127.0.0.1}
export CLUSTER_HTTP_PORT=${CLUSTER_HTTP_PORT:-8000}
export CLUSTER_RASA_REPLICAS=${CLUSTER_RASA_REPLICAS:-2}
export CLUSTER_RASA_PORT=${CLUSTER_RASA_PORT:-5005}
export CLUSTER_ACTION_REPLICAS=${CLUSTER_ACTION_REPLICAS:-2}
export CLUSTER_ACTION_PORT=${CLUSTER_ACTION_PORT:-5055}
export CLUSTER_ACTIONS_LB_PORT=${CLUSTER_ACTIONS_LB_PORT:-5050}
export CLUSTER_WEB_PORT=${CLUSTER_WEB_PORT:-8080}
var_dir=${CLUSTER_VAR_DIR:-var/cluster}
mkdir -p "$var_dir"
SERVE_VAR_DIR=$(cd "$var_dir" && pwd)
export SERVE_VAR_DIR  # scripts/serve.sh's `program` wrapper keeps its process groups here
case ":${PYTHONPATH:-}:" in
  *":$PWD:"*) ;;
  *) export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" ;;
esac
while IFS='=' read -r key value; do  # serving settings, as in serve.sh (pool sizes, threads)
  if [[ "$key" =~ ^[A-Z_][A-Z0-9_]*$ ]] && [ -z "${!key:-}" ]; then export "$key=$value"; fi
done < scripts/serving.env
unset SANIC_REQUEST_MAX_SIZE SANIC_WEBSOCKET_MAX_SIZE SANIC_WORKERS

public="http://${CLUSTER_HTTP_INTERFACE}:${CLUSTER_HTTP_PORT}"
export WEB_SOCKET_URL=${WEB_SOCKET_URL:-$public}
export WEB_ORIGINS=${WEB_ORIGINS:-${public},http://localhost:${CLUSTER_HTTP_PORT}}
export QUIZ_OUTBOX_PATH=${QUIZ_OUTBOX_PATH:-${SERVE_VAR_DIR}/outbox.db}  # shared (flock)
export QUIZ_HASH_SALT_FILE=${QUIZ_HASH_SALT_FILE:-${SERVE_VAR_DIR}/hash_salt}
generated=
if [ -z "${RASA_AUTH_TOKEN:-}" ]; then
  RASA_AUTH_TOKEN=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(24))')
  generated=1
fi
export RASA_AUTH_TOKEN
if [ -z "${QUIZ_ACTION_TOKEN:-}" ]; then
  QUIZ_ACTION_TOKEN=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(32))')
fi
export QUIZ_ACTION_TOKEN

[ -f "$MODEL" ] || { echo "ERROR: ${MODEL} is missing: run \`make train\` first" >&2; exit 1; }
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  echo "Installing nginx (Debian's package; only the binary is used, not the service)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi
[ -x /usr/sbin/nginx ] || { echo "ERROR: /usr/sbin/nginx is missing: apt-get install -y nginx" >&2; exit 1; }
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$CLUSTER_HTTP_PORT" "$CLUSTER_ACTIONS_LB_PORT" "$CLUSTER_WEB_PORT" \
    $(seq "$CLUSTER_RASA_PORT" $((CLUSTER_RASA_PORT + CLUSTER_RASA_REPLICAS - 1))) \
    $(seq "$CLUSTER_ACTION_PORT" $((CLUSTER_ACTION_PORT + CLUSTER_ACTION_REPLICAS - 1))); do
  if port_in_use "$port"; then
    echo "ERROR: port ${port} is already in use (another make cluster or make run?)" >&2
    exit 1
  fi
done

echo "Set-up: results schema (Alembic), tracker schema, hash salt"
"$PY" -m career_quiz.cli init-db --url "$DATABASE_URL"
"$PY" -m rasa_addons.tracker_store "$DATABASE_URL"
"$PY" -c 'from career_quiz import settings; settings.hash_salt()'
"$PY" -c "import redis, sys; redis.Redis.from_url(sys.argv[1], socket_timeout=3).ping()" \
  "$REDIS_URL" || { echo "ERROR: Redis does not answer at ${REDIS_URL}" >&2; exit 1; }
"$PY" scripts/cluster_config.py "$SERVE_VAR_DIR"
/usr/sbin/nginx -t -q -c "${SERVE_VAR_DIR}/nginx.conf" -e "${SERVE_VAR_DIR}/nginx-error.log"
rm -f "${SERVE_VAR_DIR}"/*.pgid

sup_pid=
cleanup() {
  trap '' HUP INT TERM
  if [ -n "$sup_pid" ] && kill -0 "$sup_pid" 2>/dev/null; then
    echo "Stopping the cluster (supervisord stops each process group, at most 20 s)" || true
    kill -TERM "$sup_pid" 2>/dev/null || true
    wait "$sup_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
# Own session: terminal signals reach only this script, which stops supervisord.
setsid .venv/bin/supervisord -c "${SERVE_VAR_DIR}/supervisord.conf" > >(
  trap '' HUP INT TERM
  exec grep --line-buffered -v -e ' CRIT Supervisor is running as root' \
    -e " CRIT Server 'unix_http_server' running without any HTTP authentication"
) &
sup_pid=$!

echo "Starting (logs in ${var_dir}/): nginx ${public}, Rasa replicas on" \
  "$(seq -s ' ' "$CLUSTER_RASA_PORT" $((CLUSTER_RASA_PORT + CLUSTER_RASA_REPLICAS - 1))), action servers on" \
  "$(seq -s ' ' "$CLUSTER_ACTION_PORT" $((CLUSTER_ACTION_PORT + CLUSTER_ACTION_REPLICAS - 1)))"
if [ -n "$generated" ]; then
  echo "HTTP API token (replicas' own ports only; generated, set RASA_AUTH_TOKEN to fix it): ${RASA_AUTH_TOKEN}"
fi
started=$SECONDS
for port in $(seq "$CLUSTER_RASA_PORT" $((CLUSTER_RASA_PORT + CLUSTER_RASA_REPLICAS - 1))); do
  until curl -fsS --max-time 2 "http://127.0.0.1:${port}/" >/dev/null 2>&1; do
    kill -0 "$sup_pid" 2>/dev/null || { echo "ERROR: supervisord stopped; see ${var_dir}/supervisord.log" >&2; exit 1; }
    if (( SECONDS - started > 400 )); then
      echo "WARNING: Rasa on port ${port} is not up after 400 s; see ${var_dir}/" >&2
      break
    fi
    sleep 1
  done
done
echo "Cluster ready after $((SECONDS - started)) s: ${public}/ (page), ${public}/webhooks/rest/webhook (REST)."
echo "Status: .venv/bin/supervisorctl -c ${var_dir}/supervisord.conf status; stop with Ctrl+C."
wait "$sup_pid"
