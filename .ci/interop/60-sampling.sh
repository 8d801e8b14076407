#!/usr/bin/env bash
# Derived signals under sampling: telemetry-demo's three services at TRACING_SAMPLER=0.1 with a
# user-service outage, exporting to the real telemetry-pipeline. Then the same outage at 0.01.
#
# At 10 %, for every service, the pipeline's request count (`service_requests_total`) and error
# ratio (`errors_total` over it) must agree with the service's own `http_requests_total` (ground
# truth: every request, errors being status >= 400) within 4 standard errors of a 10 % trace
# sample. The standard error is estimated from the sampled traces themselves (the file
# exporter's copy): sampling is per trace, so a trace that reaches a service k times moves its
# count by k, and
#     Var(N̂) = (1-p)/p · Σ_traces k²     Var(r̂) ≈ (1-p)/p · Σ_traces (e − r·k)² / N²
# with Σ over all traces estimated by Σ over sampled ones divided by p.
#
# At both ratios: the pipeline's breaker states follow the real breakers (polled from the
# services' own endpoints): every state a real breaker held for 2 s or more is shown by the
# pipeline within 15 s of its start; the pipeline counts exactly the transitions the services
# counted (`circuit_breaker_state_changes_total` on both sides); and every breaker is back to
# CLOSED on both sides after the outage.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
: "${BIN:?debug bin path}" "${ROOT:?repo root}"
started=$SECONDS
work="$(mktemp -d)"
pids=()
cleanup() {
  stop_pids
}
trap cleanup EXIT

# run NAME SAMPLER RATE TRAFFIC_SECONDS CHAOS_AFTER CHAOS_FOR: pipeline + demo, breakers watched,
# then every number the checks need saved under $work/NAME.
run() {
  local name=$1 sampler=$2 rate=$3 seconds=$4 after=$5 for=$6
  local dir="$work/$name"; mkdir -p "$dir"
  local otlp prom mon gw auth user
  otlp=$(free_port); prom=$(free_port); mon=$(free_port); gw=$(free_port); auth=$(free_port); user=$(free_port)
  cat >"$dir/pipeline.yaml" <<YAML
receivers:
  otlp: {protocols: {http: {endpoint: "127.0.0.1:$otlp"}}}
processors:
  batch: {send_batch_size: 1000, timeout: 200ms}
  spanmetrics: {}
  errors: {}
  health: {window: 20s}
  circuit_breakers: {stale_after: 2m}
exporters:
  file: {path: "$dir/spans.jsonl"}
  prometheus: {endpoint: "127.0.0.1:$prom"}
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch, spanmetrics, errors, health, circuit_breakers]
      exporters: [file, prometheus]
  monitoring: {endpoint: "127.0.0.1:$mon"}
YAML
  "$BIN/telemetry-pipeline" --config "$dir/pipeline.yaml" >"$dir/pipeline.log" 2>&1 &
  local pipeline_pid=$!
  pids+=($pipeline_pid)
  wait_for "http://127.0.0.1:$mon/ready" 20 || { cat "$dir/pipeline.log"; echo "pipeline never became ready"; return 1; }

  TRACING_ENDPOINT="http://127.0.0.1:$otlp/v1/traces" TRACING_SAMPLER="$sampler" OTEL_BSP_SCHEDULE_DELAY=300 \
  CIRCUIT_BREAKER_TIMEOUT=3s CIRCUIT_BREAKER_REPORT_INTERVAL=10s METRICS_PORT=0 HEALTH_PORT=0 \
    "$BIN/telemetry-demo" --gateway-port "$gw" --auth-port "$auth" --user-port "$user" --data-dir "$dir/data" \
    --rate "$rate" --duration "${seconds}s" --error-ratio 0.1 --chaos --chaos-after "$after" --chaos-for "$for" --chaos-mode fail \
    >"$dir/demo.log" 2>&1 &
  local demo_pid=$!
  pids+=($demo_pid)
  wait_for "http://127.0.0.1:$user/ready" 30 || { cat "$dir/demo.log"; echo "user-service never became ready"; return 1; }
  wait_for "http://127.0.0.1:$gw/live" 10 || { cat "$dir/demo.log"; echo "gateway never came up"; return 1; }
  echo "[$name] TRACING_SAMPLER=$sampler, $rate requests/s for ${seconds}s, user-service failing from $after for $for"

  # Both sides' breakers twice a second, until 20 s after the traffic ends.
  python3 - "$dir/timeline.jsonl" "$(( seconds + 20 ))" "$gw" "$auth" "$mon" <<'PY'
import json, sys, time, urllib.request
out, seconds, gw, auth, mon = sys.argv[1], float(sys.argv[2]), *sys.argv[3:]
def get(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as r: return json.load(r)
    except Exception as e: return {"error": str(e)}
sources = [f"http://127.0.0.1:{gw}/monitoring/circuit-breakers", f"http://127.0.0.1:{auth}/circuit-breakers/status"]
start = time.time()
with open(out, "w") as f:
    while time.time() - start < seconds:
        t = round(time.time() - start, 2)
        # One shape on all three: each breaker names the service hosting it.
        real = {f"{b['host_service']}/{b['name']}": b["state"] for url in sources for b in get(url).get("circuit_breakers", [])}
        seen = {f"{b['host_service']}/{b['name']}": (b["state"], b.get("stale", False))
                for b in get(f"http://127.0.0.1:{mon}/monitoring/circuit-breakers").get("circuit_breakers", [])}
        f.write(json.dumps({"t": t, "real": real, "pipeline": seen}) + "\n"); f.flush()
        time.sleep(0.5)
PY
  for svc in "$gw" "$auth" "$user"; do curl -fsS "http://127.0.0.1:$svc/metrics" >"$dir/metrics-$svc.txt"; done
  printf '%s\n' "api-gateway $gw" "auth-service $auth" "user-service $user" >"$dir/services.txt"
  curl -fsS "http://127.0.0.1:$prom/metrics" >"$dir/pipeline-metrics.txt"
  curl -fsS "http://127.0.0.1:$mon/monitoring/errors/stats" >"$dir/errors.json"
  curl -fsS "http://127.0.0.1:$mon/monitoring/health/dashboard" >"$dir/dashboard.json"
  kill -TERM "$demo_pid" "$pipeline_pid" 2>/dev/null || true
  wait "$demo_pid" "$pipeline_pid" 2>/dev/null || true
}

# Prometheus text → {(name, frozenset(labels)): value}, shared by both analyses.
cat >"$work/prom.py" <<'PY'
import re
LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')
def parse(path):
    out = []
    for line in open(path):
        if line.startswith("#") or not line.strip(): continue
        m = LINE.match(line)
        if m: out.append((m.group(1), dict(LABEL.findall(m.group(2) or "")), float(m.group(3))))
    return out
def total(samples, metric, **want):
    return sum(v for n, labels, v in samples if n == metric and all(labels.get(k) == w for k, w in want.items()))
PY

# check_breakers NAME: the pipeline follows the real breakers, counts their transitions exactly.
check_breakers() {
  python3 - "$work/$1" "$work" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[2]); import prom
d = sys.argv[1]
rows = [json.loads(l) for l in open(f"{d}/timeline.jsonl")]
names = sorted({k for r in rows for k in r["real"]})
assert names, "no breaker was ever listed by the services"
failures = []
for key in names:
    # Runs of the same real state: (state, start, end).
    runs = []
    for r in rows:
        s = r["real"].get(key)
        if s is None: continue
        if runs and runs[-1][0] == s: runs[-1][2] = r["t"]
        else: runs.append([s, r["t"], r["t"]])
    shown = [(r["t"], r["pipeline"].get(key, (None, False))) for r in rows]
    line = " → ".join(f"{s}@{a:.1f}s" for s, a, _ in runs)
    lags = []
    for state, start, end in runs[1:]:
        if end - start < 2: continue
        hit = next((t for t, (s, stale) in shown if start - 1 <= t <= start + 15 and s == state and not stale), None)
        if hit is None: failures.append(f"{key}: real {state} from {start:.1f}s, pipeline did not show it within 15 s")
        else: lags.append(max(0.0, hit - start))
    final_real = runs[-1][0]
    final_seen = shown[-1][1]
    print(f"  {key}: real {line}; pipeline lag per state ≤ {max(lags, default=0):.1f}s; ends real {final_real}, pipeline {final_seen[0]}")
    if final_real != "CLOSED" or final_seen[0] != "CLOSED" or final_seen[1]:
        failures.append(f"{key}: ends real {final_real}, pipeline {final_seen}")
opened = any(s == "OPEN" for r in rows for s in r["real"].values())
assert opened, "no real breaker opened during the outage"
# Every transition the services counted, counted once by the pipeline.
pipeline = prom.parse(f"{d}/pipeline-metrics.txt")
for line in open(f"{d}/services.txt"):
    service, port = line.split()
    own = prom.parse(f"{d}/metrics-{port}.txt")
    for n, labels, v in own:
        if n != "circuit_breaker_state_changes_total" or v == 0: continue
        seen = prom.total(pipeline, n, service=service, name=labels["name"], from_state=labels["from_state"], to_state=labels["to_state"])
        print(f"  {service}/{labels['name']} {labels['from_state']}→{labels['to_state']}: service {v:g}, pipeline {seen:g}")
        if seen != v: failures.append(f"{service}/{labels['name']} {labels['from_state']}→{labels['to_state']}: service counted {v:g}, pipeline {seen:g}")
assert not failures, "\n".join(failures)
PY
}

# check_accuracy NAME P: per-service request counts and error ratios against ground truth.
check_accuracy() {
  python3 - "$work/$1" "$2" "$work" <<'PY'
import collections, json, math, sys
sys.path.insert(0, sys.argv[3]); import prom
d, p = sys.argv[1], float(sys.argv[2])
pipeline = prom.parse(f"{d}/pipeline-metrics.txt")
# Sampled requests per trace and service, from the spans the pipeline received.
per_trace = collections.defaultdict(lambda: [0, 0])  # (trace, service) -> [requests, errors]
for line in open(f"{d}/spans.jsonl"):
    s = json.loads(line)
    if s["kind"] not in ("server", "consumer"): continue
    code = s["attributes"].get("http.response.status_code", 0)
    failed = s["status"]["code"] == "ERROR" or (isinstance(code, int) and code >= 400) or "error.type" in s["attributes"]
    cell = per_trace[(s["trace_id"], s["service"])]
    cell[0] += 1; cell[1] += 1 if failed else 0
failures = []
print(f"  bound: 4 standard errors of a {p:.0%} trace sample, estimated from the sampled traces")
for line in open(f"{d}/services.txt"):
    service, port = line.split()
    own = prom.parse(f"{d}/metrics-{port}.txt")
    truth_n = prom.total(own, "http_requests_total")
    truth_e = sum(v for n, labels, v in own if n == "http_requests_total" and int(labels.get("status", "0") or 0) >= 400)
    est_n = prom.total(pipeline, "service_requests_total", service=service)
    est_e = prom.total(pipeline, "errors_total", service=service)
    cells = [c for (t, s), c in per_trace.items() if s == service]
    truth_r = truth_e / truth_n if truth_n else 0
    est_r = est_e / est_n if est_n else 0
    var_n = (1 - p) / p * sum(k * k for k, _ in cells) / p
    var_r = (1 - p) / p * sum((e - est_r * k) ** 2 for k, e in cells) / p / max(est_n, 1) ** 2
    bound_n, bound_r = 4 * math.sqrt(var_n), 4 * math.sqrt(var_r)
    rel_n = (est_n - truth_n) / truth_n if truth_n else float("inf")
    print(f"  {service}: requests truth {truth_n:g}, pipeline {est_n:.0f} (relative error {rel_n:+.1%}, bound ±{bound_n / truth_n:.1%}); "
          f"error ratio truth {truth_r:.3f}, pipeline {est_r:.3f} (error {est_r - truth_r:+.3f}, bound ±{bound_r:.3f}); "
          f"{len(cells)} sampled traces")
    if truth_n < 200: failures.append(f"{service}: only {truth_n:g} requests; too few to judge")
    if abs(est_n - truth_n) > bound_n: failures.append(f"{service}: request count off by {est_n - truth_n:+.0f}, bound {bound_n:.0f}")
    if abs(est_r - truth_r) > bound_r + 1e-9: failures.append(f"{service}: error ratio off by {est_r - truth_r:+.4f}, bound {bound_r:.4f}")
stats = json.load(open(f"{d}/errors.json"))
dash = json.load(open(f"{d}/dashboard.json"))
gateway_truth = prom.total(prom.parse(f"{d}/metrics-{open(f'{d}/services.txt').readline().split()[1]}.txt"), "http_requests_total")
print(f"  dashboard gateway.requests {dash['gateway']['requests']} (api-gateway served {gateway_truth:g}); "
      f"errors by type {json.dumps(stats['by_type'], sort_keys=True)}")
assert not failures, "\n".join(failures)
PY
}

run sampled-10 0.1 30 70 20s 20s
echo "[sampled-10] breakers:"; check_breakers sampled-10
echo "[sampled-10] accuracy:"; check_accuracy sampled-10 0.1
run sampled-1 0.01 20 45 10s 15s
echo "[sampled-1] breakers:"; check_breakers sampled-1
echo "sampling interop: ok in $(( SECONDS - started ))s"
