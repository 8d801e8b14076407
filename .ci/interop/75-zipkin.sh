#!/usr/bin/env bash
# The zipkin receiver against the official OpenTelemetry Python SDK's Zipkin v2 JSON exporter:
# the SDK sends a known workload to the pipeline's /api/v2/spans; the pipeline forwards every
# span through an otlphttp exporter to the reference collector (decoded by the official
# protobuf code) and serves derived metrics that a real Prometheus scrapes. Counts, calls,
# errors, error rates by type and health per service must equal the ground truth the sender
# prints, as 30-pipeline.sh proves for OTLP/HTTP. Bad bodies get 400 with a reason and the
# receiver keeps serving.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
: "${BIN:?debug bin path}" "${SHARED:?shared folder}" "${OTEL_PY:?}" "${JAEGER_PY:?}"
conf="$SHARED/conformance"
work="$(mktemp -d)"
pids=()
cleanup() { stop_pids; }
trap cleanup EXIT

ZIPKIN_PORT=$(free_port); PROM_PORT=$(free_port); MON_PORT=$(free_port)

"$JAEGER_PY" "$conf/collector.py" --port 0 --port-file "$work/collector.port" --out "$work/decoded.jsonl" >"$work/collector.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/collector.port" ] && break; sleep 0.1; done
COLLECTOR_PORT=$(cat "$work/collector.port")

cat >"$work/pipeline.yaml" <<YAML
receivers:
  zipkin: {endpoint: "127.0.0.1:$ZIPKIN_PORT"}
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
      receivers: [zipkin]
      processors: [memory_limiter, batch, spanmetrics, errors, health, circuit_breakers]
      exporters: [otlphttp, prometheus]
  monitoring: {endpoint: "127.0.0.1:$MON_PORT"}
YAML

"$BIN/telemetry-pipeline" --config "$work/pipeline.yaml" --validate
"$BIN/telemetry-pipeline" --config "$work/pipeline.yaml" >"$work/pipeline.log" 2>&1 &
PIPELINE_PID=$!
pids+=($PIPELINE_PID)
wait_for "http://127.0.0.1:$MON_PORT/ready" 20 || { cat "$work/pipeline.log"; echo "pipeline never became ready"; exit 1; }
ZIPKIN_URL="http://127.0.0.1:$ZIPKIN_PORT/api/v2/spans"

# post BODY CONTENT-TYPE: prints "STATUS BODY".
post() { curl -sS -o "$work/reply" -w '%{http_code}' -H "Content-Type: $2" --data-binary "$1" "$ZIPKIN_URL"; echo " $(cat "$work/reply")"; }
expect_reply() {  # WANT_STATUS WANT_TEXT BODY [CONTENT-TYPE]
  local got; got=$(post "$3" "${4:-application/json}")
  echo "$3 -> $got"
  [ "${got%% *}" = "$1" ] || { echo "expected HTTP $1"; exit 1; }
  [ -z "$2" ] || grep -qF -- "$2" "$work/reply" || { echo "expected the reason to mention '$2'"; exit 1; }
}
expect_reply 400 "not an array" '{"traceId":"1","id":"2"}'
expect_reply 400 "tags.http.status_code must be a string" '[{"traceId":"1","id":"2","tags":{"http.status_code":500}}]'
expect_reply 400 "traceId" '[{"traceId":"not-hex","id":"2"}]'
expect_reply 400 "unexpected end" '[{"traceId":"1","id":"2"'
expect_reply 415 "unsupported content type" '[]' text/plain

ratios="auth-service=0,user-service=0.1,catalog-service=0.4"
"$OTEL_PY" "$conf/send_spans.py" --endpoint "http://127.0.0.1:$ZIPKIN_PORT" --protocol zipkin --traces 600 \
  --error-ratios "$ratios" --seed 13 --truth "$work/truth.json" >/dev/null

# Still serving after the bad bodies and the workload.
expect_reply 202 "" '[]'

expected=$(python3 -c 'import json,sys; print(sum(s["spans"] for s in json.load(open(sys.argv[1]))["services"].values()))' "$work/truth.json")
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
echo "spans sent over Zipkin: $expected, forwarded to the collector and decoded: $forwarded"
if grep -q '"error"' "$work/decoded.jsonl"; then grep '"error"' "$work/decoded.jsonl" | head -3; echo "collector could not decode a forwarded request"; exit 1; fi
[ "$forwarded" = "$expected" ] || { echo "forwarded span count differs from the truth"; exit 1; }

# The forwarded spans carry what the Zipkin mapping promises: service names from
# localEndpoint, kinds, parents, and ERROR statuses with the exporter's description.
python3 - "$work/decoded.jsonl" "$work/truth.json" <<'PY'
import json, sys
truth = json.load(open(sys.argv[2]))["services"]
services, kinds, errors, parents = {}, {}, {}, 0
for line in open(sys.argv[1]):
    for rs in json.loads(line).get("body", {}).get("resourceSpans", []):
        attrs = {a["key"]: a["value"].get("stringValue") for a in rs.get("resource", {}).get("attributes", [])}
        svc = attrs.get("service.name")
        for ss in rs.get("scopeSpans", []):
            for span in ss.get("spans", []):
                services[svc] = services.get(svc, 0) + 1
                kinds[span.get("kind")] = kinds.get(span.get("kind"), 0) + 1
                parents += 1 if span.get("parentSpanId") else 0
                status = span.get("status", {})
                if status.get("code") in (2, "STATUS_CODE_ERROR"):
                    errors[svc] = errors.get(svc, 0) + 1
                    assert status.get("message", "").startswith("HTTP "), status
print("spans by service:", services, "kinds:", kinds, "with parent:", parents)
assert services == {svc: t["spans"] for svc, t in truth.items()}, (services, truth)
assert errors == {svc: t["errors"] for svc, t in truth.items() if t["errors"]}, errors
total = sum(services.values())
assert parents == total - total // 3, parents  # every span but the gateway's SERVER span has a parent
PY

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
truth = json.load(open(f"{work}/truth.json"))["services"]
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
    statuses = t["errors_by_status"].items() if svc != "api-gateway" else [
        (code, n) for other, u in truth.items() if other != "api-gateway" for code, n in u["errors_by_status"].items()]
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

# Refusals are counted by status on the receiver's own request metric: the four bad bodies
# and the one unknown content type above.
curl -fsS "http://127.0.0.1:$PROM_PORT/metrics" | grep -E '^pipeline_receiver_requests_total\{receiver="zipkin"' >"$work/requests.txt" || true
cat "$work/requests.txt"
grep -qx 'pipeline_receiver_requests_total{receiver="zipkin",status="400"} 4' "$work/requests.txt" || { echo "expected 4 requests answered 400"; exit 1; }
grep -qx 'pipeline_receiver_requests_total{receiver="zipkin",status="415"} 1' "$work/requests.txt" || { echo "expected 1 request answered 415"; exit 1; }

kill -TERM "$PIPELINE_PID"
rc=0; wait "$PIPELINE_PID" || rc=$?
[ "$rc" = 0 ] || { echo "pipeline exited $rc on SIGTERM"; exit 1; }
echo "zipkin interop: ok"
