#!/usr/bin/env bash
# A bounded load run on loopback: gunicorn (config/gunicorn.conf.py) serves the
# demo story and LOADTEST_EVENTS synthetic events from its own SQLite file (or
# LOADTEST_DATABASE_URL). Two headless locust phases of LOADTEST_TIME each,
# both stopping by themselves: readers alone, then the same readers while
# LOADTEST_DOWNLOADERS users download every event again and again. Exits
# non-zero on any failure or 5xx (the download cap's 503 with Retry-After
# apart), or when the readers' p95 with downloads is above 10x their idle p95.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
LOCUST=${LOCUST:-$BIN/locust}
PORT=${LOADTEST_PORT:-8765}
export DEBUG=false HTTPS=false ALLOWED_HOSTS=127.0.0.1,localhost SECRET_KEY="$(cat .secret_key)"
export DATABASE_URL=${LOADTEST_DATABASE_URL:-sqlite:///$(pwd)/loadtest.sqlite3}

$BIN/python manage.py migrate --noinput --verbosity 0
# LOADTEST_KEEP_DATA=1 serves the database as it is (e.g. a copy of a 1,000,000-event bench database).
if [ -z "${LOADTEST_KEEP_DATA:-}" ]; then
  $BIN/python manage.py load_demo --if-empty --verbosity 0
  # Enough events that a full download streams for a while (replaced on each run).
  $BIN/python manage.py bench_data --events "${LOADTEST_EVENTS:-10000}" --verbosity 0
fi
$BIN/python manage.py collectstatic --noinput --verbosity 0

workers=()
if [ -n "${LOADTEST_WORKERS:-}" ]; then workers=(--workers "$LOADTEST_WORKERS"); fi
$BIN/gunicorn -c config/gunicorn.conf.py --bind "127.0.0.1:$PORT" "${workers[@]}" --log-level warning &
server=$!
results=$(mktemp -d)
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$results"' EXIT
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/robots.txt" && break; sleep 0.2; done

phase() {
  "$LOCUST" -f loadtest/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
    --users "$1" --spawn-rate 10 --run-time "${LOADTEST_TIME:-30s}" \
    --stop-timeout 5 --only-summary --exit-code-on-error 1 "${@:2}"
}
readers=${LOADTEST_USERS:-20}
downloaders=${LOADTEST_DOWNLOADERS:-3}

echo "Phase 1: $readers readers"
LOADTEST_P95_FILE="$results/idle" phase "$readers" Reader
# LOADTEST_READERS_ONLY=1 stops after the first phase (the served p99 of issue 13).
if [ -n "${LOADTEST_READERS_ONLY:-}" ]; then exit 0; fi
echo "Phase 2: $readers readers while $downloaders users download every event"
LOADTEST_IDLE_P95="$(cat "$results/idle")" LOADTEST_DOWNLOADERS="$downloaders" \
  phase "$((readers + downloaders))" Reader Downloader
