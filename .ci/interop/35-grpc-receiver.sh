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

start_collector

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

start_pipeline pipeline "$MON_PORT"
PIPELINE_PID=$started_pid
start_pipeline refusing "$REFUSING_MON_PORT"
cat "$work/pipeline.log"

ratios="auth-service=0,user-service=0.1,catalog-service=0.4"
OTEL_EXPORTER_OTLP_COMPRESSION=gzip "$OTEL_PY" "$conf/send_spans.py" --endpoint "127.0.0.1:$GRPC_PORT" --protocol otlp-grpc \
  --traces 600 --error-ratios "$ratios" --seed 21 --truth "$work/truth.json" >/dev/null

check_forwarded OTLP/gRPC "$work/truth.json"

check_derived_metrics "$PROM_PORT" "$work/truth.json"

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

stop_pipeline "$PIPELINE_PID"
echo "OTLP/gRPC receiver interop: ok"
