"""Writes OTLP/HTTP protobuf request bodies for the ingest benchmark.

Each body is one ExportTraceServiceRequest of --spans-per-body spans: traces of a gateway
calling three services, SERVER and CLIENT spans with HTTP attributes, --error-ratio of the
traces failing with a 5xx or 4xx. Bodies differ in trace IDs so tail-side state is realistic.
Beside each body-N.pb, body-N.traces lists the byte offset of every span's trace ID, so a
client can give each request fresh trace IDs (replay.py --fresh-trace-ids).
"""
import argparse
import json
import random

from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
from opentelemetry.proto.common.v1 import common_pb2
from opentelemetry.proto.resource.v1 import resource_pb2
from opentelemetry.proto.trace.v1 import trace_pb2

SERVICES = ["api-gateway", "auth-service", "user-service", "catalog-service"]
ROUTES = {"api-gateway": "/api/v1/orders/{id}", "auth-service": "/auth/verify", "user-service": "/users/{id}", "catalog-service": "/items/{id}"}
FAILURES = [500, 503, 504, 401, 404, 429]


def attr(key, value):
    if isinstance(value, int):
        return common_pb2.KeyValue(key=key, value=common_pb2.AnyValue(int_value=value))
    return common_pb2.KeyValue(key=key, value=common_pb2.AnyValue(string_value=value))


def body(rng, spans_per_body, error_ratio, start_ns):
    by_service = {name: [] for name in SERVICES}
    made = 0
    while made < spans_per_body:
        trace_id = rng.getrandbits(128).to_bytes(16, "big")
        root_id = rng.getrandbits(64).to_bytes(8, "big")
        failing = rng.random() < error_ratio
        status = rng.choice(FAILURES) if failing else 200
        t0 = start_ns + rng.randrange(1_000_000_000)
        root = trace_pb2.Span(
            trace_id=trace_id, span_id=root_id, name="GET " + ROUTES["api-gateway"], kind=trace_pb2.Span.SPAN_KIND_SERVER,
            start_time_unix_nano=t0, end_time_unix_nano=t0 + rng.randrange(5_000_000, 80_000_000),
            attributes=[attr("http.request.method", "GET"), attr("http.route", ROUTES["api-gateway"]),
                        attr("http.response.status_code", status), attr("url.path", "/api/v1/orders/42")])
        if status >= 500:
            root.status.code = trace_pb2.Status.STATUS_CODE_ERROR
        by_service["api-gateway"].append(root)
        made += 1
        for callee in SERVICES[1:]:
            if made + 2 > spans_per_body:
                break
            client_id = rng.getrandbits(64).to_bytes(8, "big")
            server_id = rng.getrandbits(64).to_bytes(8, "big")
            code = status if (failing and callee == "catalog-service") else 200
            start = t0 + 1_000_000
            end = start + rng.randrange(1_000_000, 40_000_000)
            client = trace_pb2.Span(
                trace_id=trace_id, span_id=client_id, parent_span_id=root_id, name="GET", kind=trace_pb2.Span.SPAN_KIND_CLIENT,
                start_time_unix_nano=start, end_time_unix_nano=end,
                attributes=[attr("http.request.method", "GET"), attr("server.address", callee), attr("http.response.status_code", code)])
            server = trace_pb2.Span(
                trace_id=trace_id, span_id=server_id, parent_span_id=client_id, name="GET " + ROUTES[callee],
                kind=trace_pb2.Span.SPAN_KIND_SERVER, start_time_unix_nano=start + 200_000, end_time_unix_nano=end - 200_000,
                attributes=[attr("http.request.method", "GET"), attr("http.route", ROUTES[callee]), attr("http.response.status_code", code)])
            if code >= 500:
                client.status.code = trace_pb2.Status.STATUS_CODE_ERROR
                server.status.code = trace_pb2.Status.STATUS_CODE_ERROR
            if code >= 400:
                server.events.append(trace_pb2.Span.Event(
                    name="exception", time_unix_nano=end - 300_000,
                    attributes=[attr("exception.type", "HTTPError"), attr("exception.message", f"HTTP {code} from {callee}")]))
            by_service["api-gateway"].append(client)
            by_service[callee].append(server)
            made += 2
    request = trace_service_pb2.ExportTraceServiceRequest()
    for name, spans in by_service.items():
        if not spans:
            continue
        resource_spans = request.resource_spans.add()
        resource_spans.resource.CopyFrom(resource_pb2.Resource(attributes=[attr("service.name", name)]))
        scope = resource_spans.scope_spans.add()
        scope.scope.name = "ingest-benchmark"
        scope.spans.extend(spans)
    return request.SerializeToString()


def trace_id_offsets(encoded):
    """Offsets of every Span.trace_id (field 1, 16 bytes) in an encoded request: found by the
    trace IDs themselves, which are random, after their tag and length bytes."""
    request = trace_service_pb2.ExportTraceServiceRequest.FromString(encoded)
    ids = {span.trace_id for rs in request.resource_spans for ss in rs.scope_spans for span in ss.spans}
    offsets = []
    for trace_id in ids:
        needle = b"\x0a\x10" + trace_id
        at = encoded.find(needle)
        while at >= 0:
            offsets.append(at + 2)
            at = encoded.find(needle, at + 1)
    return sorted(offsets)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True, help="directory for body-N.pb")
    parser.add_argument("--bodies", type=int, default=16)
    parser.add_argument("--spans-per-body", type=int, default=1000)
    parser.add_argument("--error-ratio", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    start_ns = 1_730_629_800_000_000_000
    for index in range(args.bodies):
        encoded = body(rng, args.spans_per_body, args.error_ratio, start_ns + index * 1_000_000_000)
        with open(f"{args.out}/body-{index}.pb", "wb") as handle:
            handle.write(encoded)
        with open(f"{args.out}/body-{index}.traces", "w") as handle:
            json.dump(trace_id_offsets(encoded), handle)


if __name__ == "__main__":
    main()
