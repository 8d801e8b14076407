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

start_collector

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

start_pipeline pipeline "$MON_PORT"
PIPELINE_PID=$started_pid
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

check_forwarded Zipkin "$work/truth.json"

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

check_derived_metrics "$PROM_PORT" --error-rates "$work/truth.json"

# Refusals are counted by status on the receiver's own request metric: the four bad bodies
# and the one unknown content type above.
curl -fsS "http://127.0.0.1:$PROM_PORT/metrics" | grep -E '^pipeline_receiver_requests_total\{receiver="zipkin"' >"$work/requests.txt" || true
cat "$work/requests.txt"
grep -qx 'pipeline_receiver_requests_total{receiver="zipkin",status="400"} 4' "$work/requests.txt" || { echo "expected 4 requests answered 400"; exit 1; }
grep -qx 'pipeline_receiver_requests_total{receiver="zipkin",status="415"} 1' "$work/requests.txt" || { echo "expected 1 request answered 415"; exit 1; }

stop_pipeline "$PIPELINE_PID"
echo "zipkin interop: ok"
