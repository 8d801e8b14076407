#!/usr/bin/env bash
# Metrics interop: a real instrumented server (telemetry-example-server) is linted with
# promtool and scraped by a real Prometheus; PromQL must count exactly the requests sent.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
ROOT="${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"
SHARED="${SHARED:-$ROOT/../shared}"
BIN="${BIN:-$(cd "$ROOT" && swift build -c release --show-bin-path)}"
server="$BIN/telemetry-example-server"
[ -x "$server" ] || { echo "20-metrics: $server not built" >&2; exit 1; }

work="$(mktemp -d)"
app_port=$(free_port); metrics_port=$(free_port); health_port=$(free_port)

APP_PORT=$app_port METRICS_PORT=$metrics_port HEALTH_PORT=$health_port TELEMETRY_HOST=127.0.0.1 \
  OTEL_SERVICE_NAME=example-service SERVICE_VERSION=v1.0.0 "$server" >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT

for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$health_port/live" >/dev/null 2>&1 && curl -fsS "http://127.0.0.1:$metrics_port/metrics" >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { echo "20-metrics: server exited" >&2; cat "$work/server.log" >&2; exit 1; }
  sleep 0.2
done

# A known workload: 25 successes on a templated route, 5 authentication failures.
ok=25; unauthorized=5
for i in $(seq 1 $ok); do curl -fsS "http://127.0.0.1:$app_port/api/v1/users/$i" >/dev/null; done
for _ in $(seq 1 $unauthorized); do
  code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$app_port/api/v1/login")
  [ "$code" = 401 ] || { echo "20-metrics: login answered $code, expected 401" >&2; exit 1; }
done
sent=$((ok + unauthorized))

echo "-- /health"
curl -sS -D "$work/health.head" "http://127.0.0.1:$health_port/health" | tee "$work/health.json"; echo
python3 - "$work/health.json" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))
assert body["status"] == "healthy", body
assert body["version"] == "v1.0.0", body
assert body["details"]["database_status"] == "healthy", body
assert body["timestamp"].endswith("Z"), body
PY

echo "-- promtool check metrics"
out=$("$SHARED/conformance/check_metrics.sh" "http://127.0.0.1:$metrics_port/metrics" 2>&1) || { echo "$out"; exit 1; }
echo "$out"
# promtool prints lint findings as "<metric> <problem>"; none may concern our metrics.
if echo "$out" | grep -E '^(http_|active_connections|error_rate|process_)' ; then
  echo "20-metrics: promtool reported problems with our metrics" >&2; exit 1
fi
ctype=$(curl -sS -o /dev/null -w '%{content_type}' "http://127.0.0.1:$metrics_port/metrics")
[ "$ctype" = "text/plain; version=0.0.4; charset=utf-8" ] || { echo "20-metrics: Content-Type $ctype" >&2; exit 1; }

echo "-- Prometheus scrape"
# Give Prometheus time to start and scrape: on a loaded CI machine its first scrape has come
# almost 6 s after launch, so a shorter wait can query `up` before any sample exists.
"$SHARED/conformance/prometheus_scrape.sh" "127.0.0.1:$metrics_port" /metrics 15 \
  'sum(http_requests_total)' \
  'sum(http_requests_total{path="/api/v1/users/{id}",status="200"})' \
  'sum(http_requests_total{path="/api/v1/login",status="401"})' \
  'count(http_requests_total)' \
  'max(error_rate{service="example-service",type="authentication"})' \
  'max(process_resident_memory_bytes)' | tee "$work/queries.jsonl"

python3 - "$work/queries.jsonl" "$sent" "$ok" "$unauthorized" <<'PY'
import json, sys
path, sent, ok, unauthorized = sys.argv[1], *map(int, sys.argv[2:])
results = {}
for line in open(path):
    entry = json.loads(line)
    if "result" in entry:
        assert not entry.get("error"), entry
        values = entry["result"] or []
        results[entry["query"]] = float(values[0]["value"][1]) if values else None
def expect(query, want):
    got = results.get(query)
    assert got == want, f"{query}: got {got}, want {want}"
expect("sum(http_requests_total)", sent)
expect('sum(http_requests_total{path="/api/v1/users/{id}",status="200"})', ok)
expect('sum(http_requests_total{path="/api/v1/login",status="401"})', unauthorized)
expect("count(http_requests_total)", 2)  # route templates, not raw paths
rate = results['max(error_rate{service="example-service",type="authentication"})']
assert abs(rate - unauthorized / sent) < 1e-9, rate
assert results["max(process_resident_memory_bytes)"] > 0
print(f"20-metrics: Prometheus counted {sent} of {sent} requests")
PY
