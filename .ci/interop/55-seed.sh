#!/usr/bin/env bash
# The seed's debugging commands, typed as a new user would, against telemetry-demo on loopback
# (SQLite, no pipeline: tracing off) with a user-service outage ("fail") from 20 s to 50 s of traffic.
#
# The seed's host names become 127.0.0.1 and its ports the demo's: `auth-service:8080` is
# AUTH_PORT, `user-service:8080` USER_PORT, `gateway:9090` the gateway's METRICS_PORT (the
# auth-service's and user-service's metrics are on METRICS_PORT+1 and +2, health listeners on
# HEALTH_PORT, +1, +2). Asserted, with the seed's JSON shapes and values:
#   - start-up logs every URL: three services, three metrics and three health listeners;
#   - `/health` on each service: timestamp, status, version, `details` with the seed's keys
#     (user-service `database_status`; auth-service `circuit_breaker_status` and
#     `user_service_status`), the auth-service's `circuit_breaker.service` = `user-service`
#     with the seed's five `counts`; the same body on each HEALTH_PORT listener;
#   - `/circuit-breakers/status` on the auth-service, in the shape `/monitoring/circuit-breakers`
#     shares with the pipeline: `user-client`, hosted by auth-service, guarding user-service;
#   - `/monitoring/health/dashboard`: `alerts` empty before the outage (checked only when the
#     log shows the outage has not begun yet, so a slow start-up cannot fail it) and non-empty
#     during it (the open-breaker alert naming user-service), in the seed's alert shape;
#   - `POST /circuit-breakers/reset?service=user-service`: 401 without the admin token, 200 with
#     it, resetting `user-client` to CLOSED;
#   - `curl` of each METRICS_PORT: Prometheus text with `circuit_breaker_state` (gateway and
#     auth-service) and `http_requests_total`;
#   - SIGTERM stops the demo with exit 0.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
: "${BIN:?debug bin path}" "${ROOT:?repo root}"
started=$SECONDS
work="$(mktemp -d)"
pids=()
cleanup() {
  stop_pids
  rm -rf "$work"
}
trap cleanup EXIT
# A port p with p, p+1 and p+2 free (the three services' listeners).
free_block() {
  python3 - <<'PY'
import random, socket
for _ in range(200):
    base = random.randint(20000, 60000)
    socks = []
    try:
        for p in range(base, base + 3):
            s = socket.socket(); s.bind(("127.0.0.1", p)); socks.append(s)
        print(base); break
    except OSError:
        pass
    finally:
        for s in socks: s.close()
else:
    raise SystemExit("no three consecutive free ports")
PY
}
fail() { echo "55-seed: $*" >&2; tail -30 "$work/demo.log" >&2 || true; exit 1; }

GW_PORT=$(free_port); AUTH_PORT=$(free_port); USER_PORT=$(free_port)
METRICS_BASE=$(free_block); HEALTH_BASE=$(free_block)
while [ $(( HEALTH_BASE - METRICS_BASE )) -gt -3 ] && [ $(( HEALTH_BASE - METRICS_BASE )) -lt 3 ]; do HEALTH_BASE=$(free_block); done
TOKEN="seed-admin-token"

TRACING_ENABLED=false CIRCUIT_BREAKER_ADMIN_TOKEN="$TOKEN" CIRCUIT_BREAKER_TIMEOUT=60s \
METRICS_ENABLED=true METRICS_PORT="$METRICS_BASE" METRICS_PATH=/metrics \
HEALTH_ENABLED=true HEALTH_PORT="$HEALTH_BASE" HEALTH_PATH=/health \
  "$BIN/telemetry-demo" --gateway-port "$GW_PORT" --auth-port "$AUTH_PORT" --user-port "$USER_PORT" \
  --data-dir "$work/data" --rate 10 --duration 60s --error-ratio 0.1 \
  --chaos --chaos-after 20s --chaos-for 30s --chaos-mode fail >"$work/demo.log" 2>&1 &
DEMO_PID=$!
pids+=($DEMO_PID)
wait_for "http://127.0.0.1:$USER_PORT/ready" 30 || fail "user-service never became ready"
for p in "$GW_PORT" "$AUTH_PORT" $(( METRICS_BASE + 2 )) $(( HEALTH_BASE + 2 )); do
  wait_for "http://127.0.0.1:$p/live" 10 || wait_for "http://127.0.0.1:$p/metrics" 1 || fail "port $p never answered"
done
echo "demo up after $(( SECONDS - started ))s (services $GW_PORT/$AUTH_PORT/$USER_PORT, metrics $METRICS_BASE+, health $HEALTH_BASE+)"

# Every URL printed at start-up.
for url in "http://127.0.0.1:$GW_PORT" "http://127.0.0.1:$AUTH_PORT" "http://127.0.0.1:$USER_PORT" \
  "http://127.0.0.1:$METRICS_BASE/metrics" "http://127.0.0.1:$(( METRICS_BASE + 1 ))/metrics" "http://127.0.0.1:$(( METRICS_BASE + 2 ))/metrics" \
  "http://127.0.0.1:$HEALTH_BASE/health" "http://127.0.0.1:$(( HEALTH_BASE + 1 ))/health" "http://127.0.0.1:$(( HEALTH_BASE + 2 ))/health"; do
  grep -qF "url=$url" "$work/demo.log" || fail "start-up did not print $url"
done
echo "start-up printed all 9 URLs"

# Before the outage: no alert (read first, then the log, so a dashboard read after the outage
# began is never judged as "before").
curl -fsS "http://127.0.0.1:$GW_PORT/monitoring/health/dashboard" >"$work/dashboard-before.json"
before=1; grep -q "chaos: user-service" "$work/demo.log" && before=0
python3 - "$work/dashboard-before.json" "$before" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) >= {"gateway", "services", "alerts"}, d
assert set(d["gateway"]) >= {"name", "version", "status", "uptime", "requests"}, d["gateway"]
assert set(d["services"]) == {"auth-service", "user-service"}, d["services"]
if sys.argv[2] == "1":
    assert d["alerts"] == [], f"alerts before the outage: {d['alerts']}"
    print("dashboard before the outage: no alerts")
else:
    print("dashboard: the outage began before the first read; the before-check is skipped")
PY

# The seed's "Check service health" on each service, and on each HEALTH_PORT listener.
check_health() { # URL SERVICE
  python3 - "$1" "$2" <<'PY'
import json, sys, urllib.request
url, service = sys.argv[1], sys.argv[2]
d = json.load(urllib.request.urlopen(url, timeout=5))
assert {"timestamp", "status", "version", "details"} <= set(d), d
assert d["status"] in ("healthy", "degraded", "unhealthy"), d
want = {"user-service": {"database_status"}, "auth-service": {"circuit_breaker_status", "user_service_status"},
        "api-gateway": {"circuit_breaker_status", "user_service_status", "auth_service_status"}}[service]
assert want <= set(d["details"]), f"{service} details {d['details']} lack {want - set(d['details'])}"
if service == "user-service":
    assert d["details"]["database_status"] == "healthy", d
if service == "auth-service":
    cb = d["circuit_breaker"]
    assert cb["service"] == "user-service", cb
    assert cb["state"] in ("CLOSED", "OPEN", "HALF_OPEN"), cb
    assert set(cb["counts"]) >= {"requests", "total_successes", "total_failures", "consecutive_successes", "consecutive_failures"}, cb
    assert d["details"]["user_service_status"] == cb["state"], d
print(f"{service} {url}: {d['status']} {d['details']}")
PY
}
# curl http://user-service:8080/health
curl -fsS "http://127.0.0.1:$USER_PORT/health" >/dev/null
check_health "http://127.0.0.1:$USER_PORT/health" user-service
check_health "http://127.0.0.1:$AUTH_PORT/health" auth-service
check_health "http://127.0.0.1:$GW_PORT/health" api-gateway
check_health "http://127.0.0.1:$HEALTH_BASE/health" api-gateway
check_health "http://127.0.0.1:$(( HEALTH_BASE + 1 ))/health" auth-service
check_health "http://127.0.0.1:$(( HEALTH_BASE + 2 ))/health" user-service

# curl http://auth-service:8080/circuit-breakers/status
curl -fsS "http://127.0.0.1:$AUTH_PORT/circuit-breakers/status" >"$work/status.json"
python3 - "$work/status.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) == {"timestamp", "circuit_breakers"}, d
b = {x["name"]: x for x in d["circuit_breakers"]}
assert {x["host_service"] for x in b.values()} == {"auth-service"}, d
assert "user-client" in b, d
uc = b["user-client"]
assert uc["guarded_service"] == "user-service", uc
assert uc["state"] in ("CLOSED", "OPEN", "HALF_OPEN"), uc
assert set(uc["counts"]) >= {"requests", "total_successes", "total_failures", "consecutive_successes", "consecutive_failures"}, uc
print("auth-service /circuit-breakers/status:", {n: x["state"] for n, x in b.items()})
PY

# During the outage the dashboard lists an alert.
chaos_wait=$SECONDS
alerts_ok=0
for _ in $(seq 60); do
  curl -fsS "http://127.0.0.1:$GW_PORT/monitoring/health/dashboard" >"$work/dashboard.json" || true
  if python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["alerts"]; sys.exit(0 if any(x["service"]=="user-service" for x in a) else 1)' "$work/dashboard.json" 2>/dev/null; then
    alerts_ok=1; break
  fi
  sleep 0.5
done
[ "$alerts_ok" = 1 ] || { cat "$work/dashboard.json"; fail "no alert about user-service on the dashboard during the outage"; }
python3 - "$work/dashboard.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))["alerts"]
for x in a:
    assert {"level", "service", "message", "timestamp", "duration"} <= set(x), x
    assert x["level"] in ("info", "warning", "critical"), x
print("dashboard during the outage:", [(x["level"], x["service"], x["message"]) for x in a])
PY
echo "alert raised $(( SECONDS - chaos_wait ))s after waiting began"

# curl -X POST http://auth-service:8080/circuit-breakers/reset?service=user-service
code=$(curl -s -o "$work/reset-denied.json" -w '%{http_code}' -X POST "http://127.0.0.1:$AUTH_PORT/circuit-breakers/reset?service=user-service")
[ "$code" = 401 ] || [ "$code" = 403 ] || fail "reset without the admin token answered $code"
code=$(curl -s -o "$work/reset.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
  "http://127.0.0.1:$AUTH_PORT/circuit-breakers/reset?service=user-service")
[ "$code" = 200 ] || { cat "$work/reset.json"; fail "reset with the admin token answered $code"; }
python3 - "$work/reset.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["reset"] == ["user-client"], d
assert [b["state"] for b in d["circuit_breakers"]] == ["CLOSED"], d
assert d["circuit_breakers"][0]["guarded_service"] == "user-service", d
print("reset?service=user-service: 401 without the token, 200 with it:", d["reset"])
PY

# curl http://gateway:9090/metrics, and the other two services' METRICS_PORT.
for i in 0 1 2; do
  port=$(( METRICS_BASE + i ))
  curl -fsS "http://127.0.0.1:$port/metrics" >"$work/metrics-$i.txt" || fail "no metrics on :$port"
  grep -q '^http_requests_total{' "$work/metrics-$i.txt" || fail ":$port/metrics has no http_requests_total"
done
grep -q '^circuit_breaker_state{.*name="user-service"' "$work/metrics-0.txt" || fail "gateway metrics lack its user-service breaker"
grep -q '^circuit_breaker_state{.*name="user-client"' "$work/metrics-1.txt" || fail "auth-service metrics lack user-client"
grep -q 'service="api-gateway"' "$work/metrics-0.txt" && ! grep -q 'service="api-gateway"' "$work/metrics-2.txt" \
  || fail "the metrics ports do not serve each service's own registry"
echo "metrics on :$METRICS_BASE, :$(( METRICS_BASE + 1 )), :$(( METRICS_BASE + 2 ))"

kill -TERM "$DEMO_PID"
rc=0; wait "$DEMO_PID" || rc=$?
[ "$rc" = 0 ] || fail "telemetry-demo exited $rc on SIGTERM"
echo "seed interop: ok in $(( SECONDS - started ))s"
