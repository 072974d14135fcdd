#!/usr/bin/env bash
# A bounded load run on loopback: gunicorn serves the demo story from its own
# SQLite file (or LOADTEST_DATABASE_URL), locust reads it headless for
# LOADTEST_TIME and stops by itself. Exits non-zero on any failure or 5xx.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT=${LOADTEST_PORT:-8765}
export DEBUG=false HTTPS=false ALLOWED_HOSTS=127.0.0.1,localhost SECRET_KEY="$(cat .secret_key)"
export DATABASE_URL=${LOADTEST_DATABASE_URL:-sqlite:///$(pwd)/loadtest.sqlite3}

$BIN/python manage.py migrate --noinput --verbosity 0
$BIN/python manage.py load_demo --if-empty --verbosity 0
$BIN/python manage.py collectstatic --noinput --verbosity 0

$BIN/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers "${LOADTEST_WORKERS:-4}" --log-level warning &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/robots.txt" && break; sleep 0.2; done

$BIN/locust -f loadtest/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
  --users "${LOADTEST_USERS:-20}" --spawn-rate 10 --run-time "${LOADTEST_TIME:-30s}" \
  --stop-timeout 5 --only-summary --exit-code-on-error 1
