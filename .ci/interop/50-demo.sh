#!/usr/bin/env bash
# The seed's system, running: telemetry-demo's api-gateway → auth-service → user-service (on a
# real PostgreSQL) under steady traffic and a user-service outage, exporting spans to the real
# telemetry-pipeline, with a real Prometheus scraping the pipeline and the three services.
# Asserts: one trace ID crosses all three services; the gateway's breaker to user-service opens
# during the outage and closes after; the gateway's /health degrades and recovers; the
# pipeline's dashboard and error endpoints show the injected error types; stopping PostgreSQL
# turns the user-service's /database/status and /health unhealthy, and restarting it heals them.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
: "${BIN:?debug bin path}" "${ROOT:?repo root}"
command -v prometheus >/dev/null || { echo "prometheus missing (setup-peers.sh installs it)" >&2; exit 1; }
started=$SECONDS
work="$(mktemp -d)"
pids=()
pg_bin=""
pgdir=""
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  stop_pids
  if [ -n "$pg_bin" ] && [ -n "$pgdir" ]; then as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pgdir"; fi
}
trap cleanup EXIT
OTLP_PORT=$(free_port); PIPE_PROM_PORT=$(free_port); MON_PORT=$(free_port); PROM_PORT=$(free_port)
GW_PORT=$(free_port); AUTH_PORT=$(free_port); USER_PORT=$(free_port); PG_PORT=$(free_port)

# --- PostgreSQL: a private cluster on a free port, installed from Debian if missing.
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  echo "installing PostgreSQL"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
pgdir="$(mktemp -d /tmp/demo-pg.XXXXXX)"
[ "$(id -u)" = 0 ] && chown postgres "$pgdir"
as_pg "$pg_bin/initdb" -D "$pgdir/data" -A trust -U demo >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log"; exit 1; }
pg_start() {
  as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w \
    -o "-p $PG_PORT -k $pgdir -c listen_addresses=127.0.0.1" start >/dev/null
}
pg_start
as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U demo demo
echo "postgresql $(basename "$(dirname "$pg_bin")") on 127.0.0.1:$PG_PORT"

# --- telemetry-pipeline: OTLP in, spans to a file, derived metrics for Prometheus.
cat >"$work/pipeline.yaml" <<YAML
receivers:
  otlp: {protocols: {http: {endpoint: "127.0.0.1:$OTLP_PORT"}}}
processors:
  memory_limiter: {limit_mib: 1024}
  batch: {send_batch_size: 1000, timeout: 200ms}
  spanmetrics: {}
  errors: {}
  health: {window: 20s, degraded_error_ratio: 0.05, unhealthy_error_ratio: 0.25, degraded_latency_p99: 1s}
  circuit_breakers: {}
exporters:
  file: {path: "$work/spans.jsonl"}
  prometheus: {endpoint: "127.0.0.1:$PIPE_PROM_PORT"}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [memory_limiter, batch, spanmetrics, errors, health, circuit_breakers]
      exporters: [file, prometheus]
  monitoring: {endpoint: "127.0.0.1:$MON_PORT"}
YAML
"$BIN/telemetry-pipeline" --config "$work/pipeline.yaml" >"$work/pipeline.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$MON_PORT/ready" 20 || { cat "$work/pipeline.log"; echo "pipeline never became ready"; exit 1; }

# --- Prometheus scraping the pipeline and each service every second (deploy/'s job names).
cat >"$work/prometheus.yml" <<YML
global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - {job_name: telemetry-pipeline, static_configs: [{targets: ["127.0.0.1:$PIPE_PROM_PORT"]}]}
  - {job_name: api-gateway, static_configs: [{targets: ["127.0.0.1:$GW_PORT"]}]}
  - {job_name: auth-service, static_configs: [{targets: ["127.0.0.1:$AUTH_PORT"]}]}
  - {job_name: user-service, static_configs: [{targets: ["127.0.0.1:$USER_PORT"]}]}
YML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$work/prometheus.log" 2>&1 &
pids+=($!)

# --- The demo: 20 requests/s for 70 s, 10% invalid on purpose, mixed outage from 15 s to 35 s.
GW="http://127.0.0.1:$GW_PORT"; USERS="http://127.0.0.1:$USER_PORT"
TRAFFIC_SECONDS=70
TRACING_ENDPOINT="http://127.0.0.1:$OTLP_PORT/v1/traces" TRACING_SAMPLER=1.0 OTEL_BSP_SCHEDULE_DELAY=300 \
METRICS_PORT=0 HEALTH_PORT=0 CIRCUIT_BREAKER_TIMEOUT=3s DATABASE_URL="postgres://demo@127.0.0.1:$PG_PORT/demo" \
  "$BIN/telemetry-demo" --gateway-port "$GW_PORT" --auth-port "$AUTH_PORT" --user-port "$USER_PORT" \
  --rate 20 --duration "${TRAFFIC_SECONDS}s" --error-ratio 0.1 --chaos --chaos-after 15s --chaos-for 20s --chaos-mode mixed \
  >"$work/demo.log" 2>&1 &
DEMO_PID=$!
pids+=($DEMO_PID)
wait_for "$USERS/ready" 30 || { cat "$work/demo.log"; echo "user-service never became ready"; exit 1; }
wait_for "$GW/live" 10 || { cat "$work/demo.log"; echo "gateway never came up"; exit 1; }
echo "demo up after $(( SECONDS - started ))s; sending traffic for ${TRAFFIC_SECONDS}s"

# Watch the gateway's breaker to user-service and its /health twice a second.
python3 - "$GW" "$work/timeline.jsonl" "$(( TRAFFIC_SECONDS + 5 ))" <<'PY' &
import json, sys, time, urllib.request, urllib.error
base, out, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
def get(path):
    try:
        with urllib.request.urlopen(base + path, timeout=2) as r: return json.load(r)
    except urllib.error.HTTPError as e: return json.load(e)
    except Exception as e: return {"error": str(e)}
start = time.time()
with open(out, "w") as f:
    while time.time() - start < seconds:
        breakers = get("/monitoring/circuit-breakers").get("circuit_breakers", [])
        state = next((b["state"] for b in breakers if b["name"] == "user-service"), None)
        f.write(json.dumps({"t": round(time.time() - start, 1), "breaker": state, "health": get("/health").get("status")}) + "\n"); f.flush()
        time.sleep(0.5)
PY
WATCH_PID=$!
pids+=($WATCH_PID)
wait "$WATCH_PID"
grep -E "chaos|state changed|traffic done" "$work/demo.log" | cut -c1-220 || true

python3 - "$work/timeline.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def spans(key):
    out, last = [], None
    for r in rows:
        if r[key] != last: out.append(f"{r['t']}s:{r[key]}"); last = r[key]
    return " → ".join(out)
print("gateway breaker to user-service:", spans("breaker"))
print("gateway /health:", spans("health"))
states = [r["breaker"] for r in rows]
health = [r["health"] for r in rows]
assert "OPEN" in states, "the breaker never opened during the outage"
first_open = states.index("OPEN")
assert "CLOSED" in states[first_open:], "the breaker never closed after the outage"
assert states[-1] == "CLOSED", f"the breaker ends {states[-1]}, not CLOSED"
assert any(h in ("degraded", "unhealthy") for h in health), "gateway /health never left healthy"
assert health[-1] == "healthy", f"gateway /health ends {health[-1]}"
print("breaker opened and closed; gateway health degraded and recovered")
PY

# --- Traces in the pipeline's file exporter: one trace ID across all three services.
sleep 2
python3 - "$work/spans.jsonl" <<'PY'
import json, sys, collections
traces = collections.defaultdict(set)
n = 0
for line in open(sys.argv[1]):
    s = json.loads(line); n += 1
    traces[s["trace_id"]].add(s["service"])
full = [t for t, services in traces.items() if {"api-gateway", "auth-service", "user-service"} <= services]
print(f"pipeline wrote {n} spans in {len(traces)} traces; {len(full)} traces cross all three services (e.g. {full[:1]})")
assert full, "no trace crosses api-gateway, auth-service and user-service"
PY

# --- The pipeline's monitoring API sees the injected error types and every service.
curl -fsS "http://127.0.0.1:$MON_PORT/monitoring/errors/stats" >"$work/errors.json"
for type in circuit_breaker timeout internal service_unavailable; do
  curl -fsS "http://127.0.0.1:$MON_PORT/monitoring/errors/details?type=$type&limit=3" >"$work/details-$type.json"
done
curl -fsS "http://127.0.0.1:$MON_PORT/monitoring/health/dashboard" >"$work/dashboard.json"
curl -fsS "http://127.0.0.1:$MON_PORT/monitoring/circuit-breakers" >"$work/pipeline-breakers.json"
curl -fsS "$GW/monitoring/errors/stats" >"$work/gateway-errors.json"
python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
stats = json.load(open(f"{w}/errors.json"))
dash = json.load(open(f"{w}/dashboard.json"))
breakers = json.load(open(f"{w}/pipeline-breakers.json"))
types = {t for t, n in stats["by_type"].items() if n > 0}
print("pipeline error types:", json.dumps(stats["by_type"], sort_keys=True))
# Requests are errors when failed (5xx, exceptions) or answered 4xx, so the pipeline sees every
# type a service answered with.
want = {"validation", "authentication", "not_found", "service_unavailable", "timeout", "internal", "circuit_breaker"}
assert want <= types, f"missing error types in /monitoring/errors/stats: {sorted(want - types)}"
gateway = json.load(open(f"{w}/gateway-errors.json"))
gateway_types = {t for t, n in gateway["by_type"].items() if n > 0}
print("gateway error types:", json.dumps(gateway["by_type"], sort_keys=True))
assert want | {"authorization"} <= gateway_types, f"missing in the gateway's /monitoring/errors/stats: {sorted(want | {'authorization'} - gateway_types)}"
for t in ("circuit_breaker", "timeout", "internal", "service_unavailable"):
    details = json.load(open(f"{w}/details-{t}.json"))
    groups = details["groups"]
    assert details["total_groups"] > 0 and groups, f"/monitoring/errors/details?type={t} is empty"
    assert {g["type"] for g in groups} == {t}, f"/monitoring/errors/details?type={t} returned other types: {groups}"
    print(f"details {t}:", json.dumps(groups[0])[:300])
services = dash["services"]
print("pipeline dashboard:", json.dumps({k: v["status"] for k, v in services.items()}, sort_keys=True), json.dumps(dash["gateway"]["requests"]))
assert {"api-gateway", "auth-service", "user-service"} <= set(services), f"dashboard services: {sorted(services)}"
seen = {(b["host_service"], b["name"]) for b in breakers["circuit_breakers"] if b["state_changes"] > 0}
assert ("api-gateway", "user-service") in seen, f"pipeline saw no breaker transitions of api-gateway → user-service: {breakers}"
print("pipeline saw breaker transitions:", sorted(seen))
PY

# --- Prometheus: the breaker opened (2) and is closed (0) now; RED for every service.
q() { curl -sS --get "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1"; }
{
  q 'max_over_time(circuit_breaker_state{job="api-gateway",name="user-service"}[5m])'; echo
  q 'circuit_breaker_state{job="api-gateway",name="user-service"}'; echo
  q 'sum by (service_name) (traces_span_metrics_calls_total{span_kind="SPAN_KIND_SERVER"})'; echo
  q 'sum by (job) (http_requests_total{job=~"api-gateway|auth-service|user-service"})'; echo
  q 'max_over_time(service_health_status{service="user-service"}[5m])'; echo
} >"$work/prom.jsonl"
python3 - "$work/prom.jsonl" <<'PY'
import json, sys
res = [json.loads(l)["data"]["result"] for l in open(sys.argv[1]) if l.strip()]
peak, now, calls, requests, health = res
assert peak and float(peak[0]["value"][1]) == 2, f"Prometheus never saw the breaker open: {peak}"
assert now and float(now[0]["value"][1]) == 0, f"Prometheus does not see the breaker closed: {now}"
services = {r["metric"]["service_name"]: float(r["value"][1]) for r in calls}
assert {"api-gateway", "auth-service", "user-service"} <= set(services), services
jobs = {r["metric"]["job"]: float(r["value"][1]) for r in requests}
assert len(jobs) == 3 and all(v > 0 for v in jobs.values()), jobs
print("prometheus: breaker peak 2, now 0; server spans", services, "; SDK requests", jobs, "; user-service worst health", health[0]["value"][1] if health else None)
PY

# --- The database status is real: stop PostgreSQL, the user-service turns unhealthy; restart heals it.
curl -fsS "$USERS/database/status" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("database before:", json.dumps(d)); assert d["status"] == "healthy", d'
as_pg "$pg_bin/pg_ctl" -D "$pgdir/data" -m fast stop >/dev/null
code=""
for _ in $(seq 40); do
  code=$(curl -s -o "$work/dbstatus.json" -w '%{http_code}' "$USERS/database/status" || true)
  [ "$code" = 503 ] && break; sleep 0.25
done
[ "$code" = 503 ] || { cat "$work/dbstatus.json"; echo "/database/status still answers $code with PostgreSQL stopped"; exit 1; }
echo "database stopped: $(cat "$work/dbstatus.json")"
health_code=$(curl -s -o "$work/health.json" -w '%{http_code}' "$USERS/health" || true)
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("user-service /health:", sys.argv[2], d["status"], d["details"]); assert d["status"] == "unhealthy" and sys.argv[2] == "503"' "$work/health.json" "$health_code"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$USERS/ready")" = 503 ] || { echo "/ready should fail with the database down"; exit 1; }
pg_start
for _ in $(seq 120); do
  code=$(curl -s -o "$work/dbstatus.json" -w '%{http_code}' "$USERS/database/status" || true)
  [ "$code" = 200 ] && break; sleep 0.25
done
[ "$code" = 200 ] || { cat "$work/dbstatus.json"; echo "/database/status did not recover after PostgreSQL restarted"; exit 1; }
echo "database restarted: $(cat "$work/dbstatus.json")"

# Graceful shutdown: SIGTERM stops the services and flushes spans, exit 0.
kill -TERM "$DEMO_PID"
rc=0; wait "$DEMO_PID" || rc=$?
[ "$rc" = 0 ] || { tail -20 "$work/demo.log"; echo "telemetry-demo exited $rc on SIGTERM"; exit 1; }
echo "demo interop: ok in $(( SECONDS - started ))s"
