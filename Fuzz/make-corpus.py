#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora from what the official OpenTelemetry and Jaeger clients send.

    $OTEL_PY   Fuzz/make-corpus.py otel   Fuzz/Corpus   # otlp-protobuf, otlp-json, gzip, w3c-headers, pipeline-yaml
    $OTEL_PY   Fuzz/make-corpus.py snappy Fuzz/Corpus   # snappy (pip install cramjam first)
    $JAEGER_PY Fuzz/make-corpus.py jaeger Fuzz/Corpus   # jaeger-thrift

OTEL_PY and JAEGER_PY are the virtualenvs ../shared/conformance/setup-peers.sh prints. The
official exporters post to a capturing HTTP server on loopback and each body is kept as sent
(OTLP/HTTP protobuf plain and gzip-compressed, Jaeger thrift binary). OTLP JSON is the same
protobuf message printed by protobuf's json_format with OTLP/JSON's hex IDs and integer
enums, which the Python SDK has no exporter for. Headers come from the official W3C trace
context and baggage propagators; the configuration seeds are the repository's own pipelines.
"""
import glob, http.server, os, sys, threading

KIND, OUT = sys.argv[1], sys.argv[2]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write(target, name, data):
    os.makedirs(os.path.join(OUT, target), exist_ok=True)
    with open(os.path.join(OUT, target, name), "wb") as f:
        f.write(data)


class Capture(http.server.BaseHTTPRequestHandler):
    bodies = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        Capture.bodies.append((self.path, self.headers.get("Content-Encoding") or "", body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def capture_server():
    server = http.server.HTTPServer(("127.0.0.1", 0), Capture)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def workloads():
    """Finished spans from the official SDK: (name, spans) of a few shapes, each small."""
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from opentelemetry.trace import Link, SpanKind, Status, StatusCode

    result = []

    def record(name, service, body):
        memory = InMemorySpanExporter()
        provider = TracerProvider(resource=Resource.create({"service.name": service, "deployment.environment": "fuzz"}))
        provider.add_span_processor(SimpleSpanProcessor(memory))
        body(provider.get_tracer("seed", "1.0"))
        provider.shutdown()
        result.append((name, list(memory.get_finished_spans())))

    def single(tracer):
        with tracer.start_as_current_span("GET /health", kind=SpanKind.SERVER) as span:
            span.set_attribute("http.request.method", "GET")

    def chain(tracer):
        with tracer.start_as_current_span("GET /api/users", kind=SpanKind.SERVER) as server:
            server.set_attribute("http.response.status_code", 503)
            with tracer.start_as_current_span("call user-service", kind=SpanKind.CLIENT) as client:
                client.set_attribute("peer.service", "user-service")
                client.set_status(Status(StatusCode.ERROR, "HTTP 503"))
            server.set_status(Status(StatusCode.ERROR, "HTTP 503"))

    def rich(tracer):
        with tracer.start_as_current_span("process order", kind=SpanKind.CONSUMER) as first:
            first_context = first.get_span_context()
        with tracer.start_as_current_span("charge", kind=SpanKind.PRODUCER, links=[Link(first_context, {"link.kind": "follows"})]) as span:
            span.set_attributes({"s": "text", "b": True, "i": -42, "d": 0.25, "strings": ["a", "b"], "ints": [1, 2], "doubles": [0.5], "bools": [True, False]})
            span.add_event("retry", {"attempt": 2, "backoff.ms": 150.5})
            try:
                raise ValueError("card declined")
            except ValueError as error:
                span.record_exception(error)
            span.set_status(Status(StatusCode.ERROR, "declined"))

    record("single", "api-gateway", single)
    record("chain", "api-gateway", chain)
    record("rich", "payment-service", rich)
    return result


def otel():
    import gzip, json
    from google.protobuf import json_format
    from opentelemetry.exporter.otlp.proto.http import Compression
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

    server, url = capture_server()
    for name, spans in workloads():
        for compression, suffix in [(Compression.NoCompression, ""), (Compression.Gzip, ".gz")]:
            Capture.bodies.clear()
            OTLPSpanExporter(endpoint=url + "/v1/traces", compression=compression).export(spans)
            path, encoding, body = Capture.bodies[-1]
            if suffix:
                assert encoding == "gzip", encoding
                write("gzip", name + ".otlp.gz", body)
                continue
            write("otlp-protobuf", name + ".pb", body)
            request = ExportTraceServiceRequest()
            request.ParseFromString(body)
            document = json_format.MessageToDict(request, use_integers_for_enums=True)
            write("otlp-json", name + ".json", json.dumps(hex_ids(document), separators=(",", ":")).encode())
    server.shutdown()
    write("gzip", "empty.gz", gzip.compress(b""))
    headers()
    for path in sorted(glob.glob(os.path.join(ROOT, "pipelines", "*.yaml"))):
        with open(path, "rb") as f:
            write("pipeline-yaml", os.path.basename(path), f.read())


def hex_ids(value, key=None):
    """OTLP/JSON writes trace and span IDs as hex, where protobuf's JSON has base64."""
    import base64
    if isinstance(value, dict):
        return {k: hex_ids(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [hex_ids(v) for v in value]
    if key in ("traceId", "spanId", "parentSpanId") and isinstance(value, str):
        return base64.b64decode(value).hex()
    return value


def headers():
    """traceparent, tracestate and baggage, one per line, as the official propagators write them."""
    from opentelemetry import baggage, trace
    from opentelemetry.baggage.propagation import W3CBaggagePropagator
    from opentelemetry.context import Context
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    cases = [
        ("sampled", 0x0AF7651916CD43DD8448EB211C80319C, 0xB7AD6B7169203331, 1, [("ot", "th:8"), ("vendor", "opaque-value")],
         {"user.id": "42", "tenant": "acme corp"}),
        ("unsampled", 0x1, 0x2, 0, [("congo", "t61rcWkgMzE")], {}),
        ("encoded", 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFF, 1, [("ot", "th:fd70a4;rv:0123456789abcd")],
         {"k": "a=b;c,d", "unicode": "grüße"}),
    ]
    for name, trace_id, span_id, flags, state, items in cases:
        context = trace.set_span_in_context(trace.NonRecordingSpan(trace.SpanContext(
            trace_id, span_id, is_remote=True, trace_flags=trace.TraceFlags(flags), trace_state=trace.TraceState(state))), Context())
        for key, value in items.items():
            context = baggage.set_baggage(key, value, context)
        carrier = {}
        TraceContextTextMapPropagator().inject(carrier, context)
        W3CBaggagePropagator().inject(carrier, context)
        lines = [carrier.get("traceparent", ""), carrier.get("tracestate", ""), carrier.get("baggage", "")]
        write("w3c-headers", name + ".txt", "\n".join(lines).encode())


def jaeger():
    from opentelemetry.exporter.jaeger.thrift import JaegerExporter

    server, url = capture_server()
    for name, spans in workloads():
        Capture.bodies.clear()
        JaegerExporter(collector_endpoint=url + "/api/traces").export(spans)
        write("jaeger-thrift", name + ".thrift", Capture.bodies[-1][2])
    server.shutdown()


def snappy():
    # Blocks from an independent snappy implementation, not our encoder.
    import cramjam

    seeds = {"empty": b"", "short": b"abcd", "bytes": bytes(range(256)) * 3,
             "text": b'traces_span_metrics_calls_total{service_name="cart"} 42\n' * 40}
    for name, data in seeds.items():
        write("snappy", name, bytes(cramjam.snappy.compress_raw(data)))


{"otel": otel, "jaeger": jaeger, "snappy": snappy}[KIND]()
