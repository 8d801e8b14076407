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

start_collector

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

start_pipeline pipeline "$MON_PORT"
PIPELINE_PID=$started_pid
cat "$work/pipeline.log"

ratios="auth-service=0,user-service=0.1,catalog-service=0.4"
OTEL_EXPORTER_OTLP_COMPRESSION=gzip "$OTEL_PY" "$conf/send_spans.py" --endpoint "http://127.0.0.1:$OTLP_PORT" --protocol otlp --traces 600 \
  --error-ratios "$ratios" --seed 11 --truth "$work/truth-otlp.json" >/dev/null
"$JAEGER_PY" "$conf/send_spans.py" --endpoint "http://127.0.0.1:$JAEGER_PORT" --protocol jaeger --traces 600 \
  --error-ratios "$ratios" --seed 12 --truth "$work/truth-jaeger.json" >/dev/null

check_forwarded "OTLP/HTTP and Jaeger thrift" "$work/truth-otlp.json" "$work/truth-jaeger.json"

bash "$conf/check_metrics.sh" "http://127.0.0.1:$PROM_PORT/metrics"

# The two workloads' truths summed per service, error_rate by type included.
check_derived_metrics "$PROM_PORT" --error-rates "$work/truth-otlp.json" "$work/truth-jaeger.json"

curl -fsS "http://127.0.0.1:$MON_PORT/monitoring/health/dashboard" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["services"]["auth-service"]["status"] == "healthy", d
assert d["services"]["catalog-service"]["status"] == "unhealthy", d
print("dashboard:", json.dumps(d["gateway"]))'

stop_pipeline "$PIPELINE_PID"
echo "pipeline interop: ok"
