"""Sends a reproducible set of traces with the official OpenTelemetry SDK over OTLP/HTTP.

Each trace is a server span with three children. Trace and span IDs come from a seeded
generator, so the same --seed sends the same trace IDs again. Span after span (not trace
after trace) goes to the next of --endpoints, so one trace's spans leave through every
routing instance, interleaved; --reference also gets every span, for a single-instance run.
Every 7th trace has a failed child, every 5th is slow (400 ms). Prints {"traces", "spans"}.
"""
import argparse
import json
import random
import time

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.id_generator import IdGenerator
from opentelemetry.trace import SpanKind, Status, StatusCode


class SeededIds(IdGenerator):
    def __init__(self, seed):
        self.random = random.Random(seed)

    def generate_trace_id(self):
        return self.random.getrandbits(128) or 1

    def generate_span_id(self):
        return self.random.getrandbits(64) or 1


class RoundRobin(SpanProcessor):
    """Hands each ended span to the next processor in turn."""

    def __init__(self, processors):
        self.processors = processors
        self.count = 0

    def on_end(self, span):
        self.processors[self.count % len(self.processors)].on_end(span)
        self.count += 1

    def shutdown(self):
        for processor in self.processors:
            processor.shutdown()

    def force_flush(self, timeout_millis=30000):
        return all(processor.force_flush(timeout_millis) for processor in self.processors)


def batching(endpoint):
    exporter = OTLPSpanExporter(endpoint=f"http://{endpoint}/v1/traces", timeout=30)
    return BatchSpanProcessor(exporter, max_queue_size=200_000, max_export_batch_size=1000, schedule_delay_millis=100)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoints", required=True, help="host:port,host:port of OTLP/HTTP receivers")
    parser.add_argument("--reference", help="host:port that also gets every span")
    parser.add_argument("--traces", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--phase", default="one", help="the test.phase attribute of every span")
    parser.add_argument("--seconds", type=float, default=0, help="spread the traces over this long")
    args = parser.parse_args()

    provider = TracerProvider(resource=Resource.create({"service.name": "checkout"}), id_generator=SeededIds(args.seed))
    provider.add_span_processor(RoundRobin([batching(e) for e in args.endpoints.split(",")]))
    if args.reference:
        provider.add_span_processor(batching(args.reference))
    tracer = provider.get_tracer("loadbalancing-check")

    started = time.time()
    base = time.time_ns()
    spans = 0
    for index in range(args.traces):
        if args.seconds:
            lag = started + args.seconds * index / args.traces - time.time()
            if lag > 0:
                time.sleep(lag)
        start = base + index * 1_000_000
        duration = 400_000_000 if index % 5 == 0 else 40_000_000
        attributes = {"test.phase": args.phase, "test.index": index}
        root = tracer.start_span("POST /checkout", kind=SpanKind.SERVER, start_time=start, attributes=attributes)
        context = trace.set_span_in_context(root)
        for child_index, name in enumerate(["auth", "inventory", "payment"]):
            child = tracer.start_span(name, context=context, kind=SpanKind.CLIENT, start_time=start + 1_000_000, attributes=attributes)
            if index % 7 == 0 and child_index == 2:
                child.set_status(Status(StatusCode.ERROR, "card declined"))
            child.end(end_time=start + duration - 1_000_000)
            spans += 1
        root.end(end_time=start + duration)
        spans += 1
    provider.force_flush(60_000)
    provider.shutdown()
    print(json.dumps({"traces": args.traces, "spans": spans}))


if __name__ == "__main__":
    main()
