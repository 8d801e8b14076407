#!/usr/bin/env bash
# End-to-end check of the pipeline's OTLP/gRPC receiver against independent peers: the
# official OpenTelemetry Python SDK's OTLP/gRPC exporter (gzip) sends a known workload; the
# pipeline forwards every span to the reference collector over OTLP/HTTP and derives metrics
# that a real Prometheus scrapes; counts, calls, errors and health must equal the truth.
# Then a plain grpcio client sends bad input (garbage bytes, an unknown method, an oversized
# message) and gets the specified status each time while the receiver keeps serving, and a
# pipeline whose memory limiter refuses answers UNAVAILABLE with a RetryInfo that Google's
# own google.rpc protos decode.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
: "${BIN:?bin path}" "${SHARED:?shared folder}" "${OTEL_PY:?}" "${JAEGER_PY:?}"
conf="$SHARED/conformance"
work="$(mktemp -d)"
pids=()
cleanup() { stop_pids; }
trap cleanup EXIT

GRPC_PORT=$(free_port); PROM_PORT=$(free_port); MON_PORT=$(free_port)
REFUSING_GRPC_PORT=$(free_port); REFUSING_MON_PORT=$(free_port)

"$JAEGER_PY" "$conf/collector.py" --port 0 --port-file "$work/collector.port" --out "$work/decoded.jsonl" >"$work/collector.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/collector.port" ] && break; sleep 0.1; done
COLLECTOR_PORT=$(cat "$work/collector.port")

cat >"$work/pipeline.yaml" <<YAML
receivers:
  otlp: {protocols: {grpc: {endpoint: "127.0.0.1:$GRPC_PORT", max_recv_msg_size_mib: 1}}}
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
      receivers: [otlp]
      processors: [memory_limiter, batch, spanmetrics, errors, health, circuit_breakers]
      exporters: [otlphttp, prometheus]
  monitoring: {endpoint: "127.0.0.1:$MON_PORT"}
YAML

# A second pipeline whose 1 MiB memory limit is always exceeded, so it refuses every call.
cat >"$work/refusing.yaml" <<YAML
receivers:
  otlp: {protocols: {grpc: {endpoint: "127.0.0.1:$REFUSING_GRPC_PORT"}}}
processors:
  memory_limiter: {check_interval: 2s, limit_mib: 1}
exporters:
  debug: {}
service:
  pipelines:
    traces: {receivers: [otlp], processors: [memory_limiter], exporters: [debug]}
  monitoring: {endpoint: "127.0.0.1:$REFUSING_MON_PORT"}
YAML

for name in pipeline refusing; do
  "$BIN/telemetry-pipeline" --config "$work/$name.yaml" --validate
  "$BIN/telemetry-pipeline" --config "$work/$name.yaml" >"$work/$name.log" 2>&1 &
  pids+=($!)
  [ "$name" = pipeline ] && PIPELINE_PID=$!
done
wait_for "http://127.0.0.1:$MON_PORT/ready" 20 || { cat "$work/pipeline.log"; echo "pipeline never became ready"; exit 1; }
wait_for "http://127.0.0.1:$REFUSING_MON_PORT/ready" 20 || { cat "$work/refusing.log"; echo "refusing pipeline never became ready"; exit 1; }
cat "$work/pipeline.log"

ratios="auth-service=0,user-service=0.1,catalog-service=0.4"
OTEL_EXPORTER_OTLP_COMPRESSION=gzip "$OTEL_PY" "$conf/send_spans.py" --endpoint "127.0.0.1:$GRPC_PORT" --protocol otlp-grpc \
  --traces 600 --error-ratios "$ratios" --seed 21 --truth "$work/truth.json" >/dev/null

expected=$(python3 -c 'import json,sys; print(sum(s["spans"] for s in json.load(open(sys.argv[1]))["services"].values()))' "$work/truth.json")
count_forwarded() { python3 - "$work/decoded.jsonl" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1]):
    for rs in json.loads(line).get("body", {}).get("resourceSpans", []):
        for ss in rs.get("scopeSpans", []):
            n += len(ss.get("spans", []))
print(n)
PY
}
for _ in $(seq 150); do [ "$(count_forwarded)" -ge "$expected" ] && break; sleep 0.2; done
forwarded=$(count_forwarded)
echo "spans sent over OTLP/gRPC: $expected, forwarded to the collector and decoded: $forwarded"
if grep -q '"error"' "$work/decoded.jsonl"; then grep '"error"' "$work/decoded.jsonl" | head -3; echo "collector could not decode a forwarded request"; exit 1; fi
[ "$forwarded" = "$expected" ] || { echo "forwarded span count differs from the truth"; exit 1; }

bash "$conf/prometheus_scrape.sh" "127.0.0.1:$PROM_PORT" /metrics 12 \
  'sum by (service_name) (traces_span_metrics_calls_total)' \
  'sum by (service_name) (traces_span_metrics_calls_total{status_code="STATUS_CODE_ERROR"})' \
  'service_health_status' >"$work/scrape.jsonl"

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
truth = json.load(open(f"{work}/truth.json"))["services"]
results = {}
for line in open(f"{work}/scrape.jsonl"):
    rec = json.loads(line)
    if "result" in rec:
        results[rec["query"]] = rec["result"]
def by(query, label):
    return {r["metric"].get(label, ""): float(r["value"][1]) for r in results[query]}
calls = by("sum by (service_name) (traces_span_metrics_calls_total)", "service_name")
errors = by('sum by (service_name) (traces_span_metrics_calls_total{status_code="STATUS_CODE_ERROR"})', "service_name")
health = by("service_health_status", "service")
failures = []
for svc, t in sorted(truth.items()):
    ratio = t["errors"] / t["spans"]
    want_health = 2 if ratio >= 0.25 else 1 if ratio >= 0.05 else 0
    if calls.get(svc) != t["spans"]: failures.append(f"{svc}: calls {calls.get(svc)} != truth {t['spans']}")
    if errors.get(svc, 0.0) != t["errors"]: failures.append(f"{svc}: errors {errors.get(svc, 0.0)} != truth {t['errors']}")
    if health.get(svc) != want_health: failures.append(f"{svc}: health {health.get(svc)} != expected {want_health}")
    print(f"{svc}: calls {calls.get(svc)}, errors {errors.get(svc, 0.0)}, health {health.get(svc)}")
if failures:
    print("\n".join(failures)); sys.exit(1)
print("derived metrics equal the ground truth")
PY

# Bad input from a plain grpcio client; after each, a valid (empty) request must still succeed.
"$OTEL_PY" - "127.0.0.1:$GRPC_PORT" "127.0.0.1:$REFUSING_GRPC_PORT" <<'PY'
import sys, grpc
from google.rpc import status_pb2, error_details_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
from opentelemetry.proto.trace.v1 import trace_pb2

EXPORT = "/opentelemetry.proto.collector.trace.v1.TraceService/Export"
def call(target, method, body):
    with grpc.insecure_channel(target) as channel:
        stub = channel.unary_unary(method, request_serializer=None, response_deserializer=None)
        try:
            return stub.with_call(body, timeout=10)[0], None
        except grpc.RpcError as error:
            return None, error

def expect(target, name, method, body, code):
    _, error = call(target, method, body)
    got = error.code() if error else grpc.StatusCode.OK
    print(f"{name}: {got.name} {error.details() if error else ''!r}")
    assert got == code, f"{name}: expected {code.name}, got {got.name}"
    response, error = call(target, EXPORT, b"")
    assert error is None and response == b"", f"receiver stopped serving after {name}: {error}"
    return error

target, refusing = sys.argv[1], sys.argv[2]
expect(target, "garbage bytes", EXPORT, b"\xff\xff\xff\xff", grpc.StatusCode.INVALID_ARGUMENT)
expect(target, "wrong method", "/opentelemetry.proto.collector.trace.v1.TraceService/Upload", b"", grpc.StatusCode.UNIMPLEMENTED)
expect(target, "wrong service", "/opentelemetry.proto.collector.logs.v1.LogsService/Export", b"", grpc.StatusCode.UNIMPLEMENTED)
big = trace_service_pb2.ExportTraceServiceRequest()
big.resource_spans.add().scope_spans.add().spans.add(name="x" * (3 << 19), trace_id=b"\1" * 16, span_id=b"\1" * 8)
expect(target, "oversized message (1.5 MiB, limit 1 MiB)", EXPORT, big.SerializeToString(), grpc.StatusCode.RESOURCE_EXHAUSTED)

# Partial success: one span with a 3-byte trace ID is rejected, the other accepted.
mixed = trace_service_pb2.ExportTraceServiceRequest()
spans = mixed.resource_spans.add().scope_spans.add().spans
spans.add(name="good", trace_id=b"\2" * 16, span_id=b"\2" * 8)
spans.add(name="bad", trace_id=b"\3" * 3, span_id=b"\3" * 8)
response, error = call(target, EXPORT, mixed.SerializeToString())
assert error is None, error
decoded = trace_service_pb2.ExportTraceServiceResponse.FromString(response)
print(f"partial success: rejected_spans={decoded.partial_success.rejected_spans} {decoded.partial_success.error_message!r}")
assert decoded.partial_success.rejected_spans == 1 and decoded.partial_success.error_message

# Throttling: UNAVAILABLE with google.rpc.Status { details: [RetryInfo] } in grpc-status-details-bin.
_, error = call(refusing, EXPORT, b"")
assert error is not None and error.code() == grpc.StatusCode.UNAVAILABLE, error
details = dict(error.trailing_metadata() or ()).get("grpc-status-details-bin")
assert details, "no grpc-status-details-bin trailer"
status = status_pb2.Status.FromString(details)
retry = error_details_pb2.RetryInfo()
assert status.code == grpc.StatusCode.UNAVAILABLE.value[0] and status.details[0].Unpack(retry), status
print(f"refused: UNAVAILABLE {status.message!r}, RetryInfo.retry_delay={retry.retry_delay.seconds}s")
assert retry.retry_delay.seconds == 2
print("bad input and throttling answered as specified; the receiver kept serving")
PY

# The receiver's own metrics count calls by gRPC status.
curl -fsS "http://127.0.0.1:$PROM_PORT/metrics" | grep '^pipeline_receiver_grpc_requests_total' | tee "$work/grpc-metrics.txt"
grep -q 'code="INVALID_ARGUMENT"' "$work/grpc-metrics.txt" || { echo "INVALID_ARGUMENT calls not counted"; exit 1; }

kill -TERM "$PIPELINE_PID"
rc=0; wait "$PIPELINE_PID" || rc=$?
[ "$rc" = 0 ] || { echo "pipeline exited $rc on SIGTERM"; exit 1; }
echo "OTLP/gRPC receiver interop: ok"
