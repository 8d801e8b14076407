#!/usr/bin/env bash
# End-to-end check of the telemetry-pipeline release binary against independent peers:
# the official OpenTelemetry Python SDK sends a known workload over OTLP/HTTP and over
# Jaeger thrift; the pipeline forwards every span to the reference collector (decoded by
# the official protobuf code) and serves derived metrics that a real Prometheus scrapes.
# Counts, calls, errors, error rates by type and health per service must equal the truth.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
: "${BIN:?release bin path}" "${SHARED:?shared folder}" "${OTEL_PY:?}" "${JAEGER_PY:?}"
conf="$SHARED/conformance"
work="$(mktemp -d)"
pids=()
cleanup() { stop_pids; }
trap cleanup EXIT

OTLP_PORT=$(free_port); JAEGER_PORT=$(free_port); PROM_PORT=$(free_port); MON_PORT=$(free_port)

"$JAEGER_PY" "$conf/collector.py" --port 0 --port-file "$work/collector.port" --out "$work/decoded.jsonl" >"$work/collector.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/collector.port" ] && break; sleep 0.1; done
COLLECTOR_PORT=$(cat "$work/collector.port")

cat >"$work/pipeline.yaml" <<YAML
receivers:
  otlp: {protocols: {http: {endpoint: "127.0.0.1:$OTLP_PORT"}}}
  jaeger: {protocols: {thrift_http: {endpoint: "127.0.0.1:$JAEGER_PORT"}}}
processors:
  memory_limiter: {limit_mib: 2048}
  batch: {send_batch_size: 1000, timeout: 100ms}
  spanmetrics: {}
  errors: {}
  health: {window: 10m, degraded_error_ratio: 0.05, unhealthy_error_ratio: 0.25, degraded_latency_p99: 1s}
  circuit_breakers: {}
exporters:
  otlphttp: {endpoint: "http://127.0.0.1:$COLLECTOR_PORT"}
  prometheus: {endpoint: "127.0.0.1:$PROM_PORT"}
service:
  pipelines:
    traces:
      receivers: [otlp, jaeger]
      processors: [memory_limiter, batch, spanmetrics, errors, health, circuit_breakers]
      exporters: [otlphttp, prometheus]
  monitoring: {endpoint: "127.0.0.1:$MON_PORT"}
YAML

"$BIN/telemetry-pipeline" --config "$work/pipeline.yaml" --validate
"$BIN/telemetry-pipeline" --config "$work/pipeline.yaml" >"$work/pipeline.log" 2>&1 &
PIPELINE_PID=$!
pids+=($PIPELINE_PID)
for _ in $(seq 200); do curl -fsS "http://127.0.0.1:$MON_PORT/ready" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "http://127.0.0.1:$MON_PORT/ready" >/dev/null || { cat "$work/pipeline.log"; echo "pipeline never became ready"; exit 1; }
cat "$work/pipeline.log"

ratios="auth-service=0,user-service=0.1,catalog-service=0.4"
OTEL_EXPORTER_OTLP_COMPRESSION=gzip "$OTEL_PY" "$conf/send_spans.py" --endpoint "http://127.0.0.1:$OTLP_PORT" --protocol otlp --traces 600 \
  --error-ratios "$ratios" --seed 11 --truth "$work/truth-otlp.json" >/dev/null
"$JAEGER_PY" "$conf/send_spans.py" --endpoint "http://127.0.0.1:$JAEGER_PORT" --protocol jaeger --traces 600 \
  --error-ratios "$ratios" --seed 12 --truth "$work/truth-jaeger.json" >/dev/null

expected=$(python3 - "$work" <<'PY'
import json, sys
total = 0
for name in ("truth-otlp.json", "truth-jaeger.json"):
    total += sum(s["spans"] for s in json.load(open(f"{sys.argv[1]}/{name}"))["services"].values())
print(total)
PY
)
count_forwarded() { python3 - "$work/decoded.jsonl" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1]):
    rec = json.loads(line)
    for rs in rec.get("body", {}).get("resourceSpans", []):
        for ss in rs.get("scopeSpans", []):
            n += len(ss.get("spans", []))
print(n)
PY
}
for _ in $(seq 150); do [ "$(count_forwarded)" -ge "$expected" ] && break; sleep 0.2; done
forwarded=$(count_forwarded)
echo "spans sent: $expected, forwarded to the collector and decoded: $forwarded"
if grep -q '"error"' "$work/decoded.jsonl"; then grep '"error"' "$work/decoded.jsonl" | head -3; echo "collector could not decode a forwarded request"; exit 1; fi
[ "$forwarded" = "$expected" ] || { echo "forwarded span count differs from the truth"; exit 1; }

bash "$conf/check_metrics.sh" "http://127.0.0.1:$PROM_PORT/metrics"

bash "$conf/prometheus_scrape.sh" "127.0.0.1:$PROM_PORT" /metrics 12 \
  'sum by (service_name) (traces_span_metrics_calls_total)' \
  'sum by (service_name) (traces_span_metrics_calls_total{status_code="STATUS_CODE_ERROR"})' \
  'error_rate' \
  'service_health_status' >"$work/scrape.jsonl"
cat "$work/scrape.jsonl"

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
truth = {}
for name in ("truth-otlp.json", "truth-jaeger.json"):
    for svc, t in json.load(open(f"{work}/{name}"))["services"].items():
        agg = truth.setdefault(svc, {"spans": 0, "errors": 0, "by_status": {}})
        agg["spans"] += t["spans"]; agg["errors"] += t["errors"]
        for code, n in t["errors_by_status"].items():
            agg["by_status"][code] = agg["by_status"].get(code, 0) + n
types = {"400": "validation", "401": "authentication", "403": "authorization", "404": "not_found",
         "429": "rate_limit", "500": "internal", "503": "service_unavailable", "504": "timeout"}
results = {}
for line in open(f"{work}/scrape.jsonl"):
    rec = json.loads(line)
    if "result" in rec:
        results[rec["query"]] = rec["result"]
def by(query, *labels):
    return {tuple(r["metric"].get(l, "") for l in labels): float(r["value"][1]) for r in results[query]}
calls = by("sum by (service_name) (traces_span_metrics_calls_total)", "service_name")
errors = by('sum by (service_name) (traces_span_metrics_calls_total{status_code="STATUS_CODE_ERROR"})', "service_name")
rates = by("error_rate", "service", "type")
health = by("service_health_status", "service")
failures = []
for svc, t in sorted(truth.items()):
    if calls.get((svc,)) != t["spans"]:
        failures.append(f"{svc}: calls {calls.get((svc,))} != truth {t['spans']}")
    if errors.get((svc,), 0.0) != t["errors"]:
        failures.append(f"{svc}: errors {errors.get((svc,), 0.0)} != truth {t['errors']}")
    # error_rate is per request: the gateway's requests are its SERVER spans (half its spans),
    # answered with its downstream's status, 4xx included; a downstream's are its only spans.
    requests = t["spans"] / 2 if svc == "api-gateway" else t["spans"]
    statuses = t["by_status"].items() if svc != "api-gateway" else [
        (code, n) for other, u in truth.items() if other != "api-gateway" for code, n in u["by_status"].items()]
    want_types = {}
    for code, n in statuses:
        want_types[types[code]] = want_types.get(types[code], 0) + n
    for typ, n in want_types.items():
        got = rates.get((svc, typ))
        want = n / requests
        if got is None or abs(got - want) > 1e-9:
            failures.append(f"{svc}: error_rate[{typ}] {got} != truth {want}")
    ratio = t["errors"] / t["spans"]
    want_health = 2 if ratio >= 0.25 else 1 if ratio >= 0.05 else 0
    if health.get((svc,)) != want_health:
        failures.append(f"{svc}: health {health.get((svc,))} != expected {want_health} (error ratio {ratio:.3f})")
    print(f"{svc}: calls {calls.get((svc,))}, errors {errors.get((svc,), 0.0)}, ratio {ratio:.3f}, health {health.get((svc,))}")
if failures:
    print("\n".join(failures)); sys.exit(1)
print("derived metrics equal the ground truth")
PY

curl -fsS "http://127.0.0.1:$MON_PORT/monitoring/health/dashboard" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["services"]["auth-service"]["status"] == "healthy", d
assert d["services"]["catalog-service"]["status"] == "unhealthy", d
print("dashboard:", json.dumps(d["gateway"]))'

# Graceful shutdown: SIGTERM drains and exits 0.
kill -TERM "$PIPELINE_PID"
rc=0; wait "$PIPELINE_PID" || rc=$?
[ "$rc" = 0 ] || { echo "pipeline exited $rc on SIGTERM"; exit 1; }
echo "pipeline interop: ok"
