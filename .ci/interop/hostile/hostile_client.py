#!/usr/bin/env python3
"""A hostile OTLP/HTTP JSON client, standard library only.

Phase 1 sends SERVER spans that each carry a unique service.name, span name and raw
url.path; phase 2 sends spans with 10 000 distinct values for each of http.route,
http.request.method, error.type and http.response.status_code. Requests the pipeline
refuses with 503 are retried (after Retry-After, capped, since the point is to keep the
pipeline busy), so every span is delivered exactly once. Prints one JSON line with what
was sent.
"""
import argparse
import http.client
import json
import sys
import threading
import time

ATTRIBUTE_KEYS = ("http.route", "http.request.method", "error.type", "http.response.status_code")


def attr(key, value):
    if isinstance(value, int):
        return '{"key":%s,"value":{"intValue":"%d"}}' % (json.dumps(key), value)
    return '{"key":%s,"value":{"stringValue":%s}}' % (json.dumps(key), json.dumps(value))


def span(index, name, attributes, error=False):
    start = 1_700_000_000_000_000_000 + index * 1000
    return ('{"traceId":"%032x","spanId":"%016x","name":%s,"kind":2,"startTimeUnixNano":"%d","endTimeUnixNano":"%d",'
            '"attributes":[%s],"status":{"code":%d}}') % (
        index + 1, index + 1, json.dumps(name), start, start + 20_000_000, ",".join(attributes), 2 if error else 0)


def resource_spans(service, spans):
    return '{"resource":{"attributes":[%s]},"scopeSpans":[{"scope":{"name":"hostile"},"spans":[%s]}]}' % (
        attr("service.name", service), ",".join(spans))


def unique_everything(first, count):
    """Phase 1: one resource per span, every label source unique."""
    parts = []
    for index in range(first, first + count):
        attributes = [attr("http.request.method", "GET"), attr("url.path", "/raw-%d/secret" % index),
                      attr("http.response.status_code", 200)]
        parts.append(resource_spans("hostile-service-%d" % index, [span(index, "GET /name-%d" % index, attributes)]))
    return '{"resourceSpans":[%s]}' % ",".join(parts)


def distinct_values(key, first, count, offset):
    """Phase 2: one service, `count` spans whose `key` takes distinct values."""
    spans = []
    for value_index in range(first, first + count):
        index = offset + value_index
        attributes = {"http.request.method": "GET", "http.route": "/fixed", "http.response.status_code": 500}
        if key == "http.response.status_code":
            attributes[key] = 100 + value_index
        elif key == "http.request.method":
            attributes[key] = "M%d" % value_index
        else:
            attributes[key] = "value-%d" % value_index
        encoded = [attr(k, v) for k, v in attributes.items()]
        spans.append(span(index, "GET /fixed", encoded, error=True))
    return '{"resourceSpans":[%s]}' % resource_spans("hostile-attributes", spans)


class Sender:
    def __init__(self, port):
        self.port = port
        self.connection = None
        self.retries = 0

    def post(self, body):
        payload = body.encode()
        while True:
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.connection.request("POST", "/v1/traces", payload, {"Content-Type": "application/json"})
                response = self.connection.getresponse()
                text = response.read()
            except (ConnectionError, http.client.HTTPException, OSError):
                self.connection = None
                self.retries += 1
                time.sleep(0.2)
                continue
            if response.status == 200:
                return
            if response.status in (429, 503):
                self.retries += 1
                retry_after = float(response.getheader("Retry-After") or "1")
                time.sleep(min(retry_after, 0.25))
                continue
            raise RuntimeError("HTTP %d: %s" % (response.status, text[:200]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--unique-spans", type=int, default=500_000)
    parser.add_argument("--distinct-values", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    jobs = []
    for first in range(0, args.unique_spans, args.batch):
        jobs.append(("unique", first, min(args.batch, args.unique_spans - first)))
    for key_index, key in enumerate(ATTRIBUTE_KEYS):
        for first in range(0, args.distinct_values, args.batch):
            jobs.append((key, first, min(args.batch, args.distinct_values - first), key_index))
    lock = threading.Lock()
    sent = {"spans": 0, "server_spans": 0, "requests": 0, "retries": 0}
    failures = []

    def worker(offset):
        sender = Sender(args.port)
        try:
            for job in jobs[offset::args.threads]:
                if job[0] == "unique":
                    _, first, count = job
                    body = unique_everything(first, count)
                else:
                    key, first, count, key_index = job
                    body = distinct_values(key, first, count, args.unique_spans + key_index * args.distinct_values)
                sender.post(body)
                with lock:
                    sent["spans"] += count
                    sent["server_spans"] += count
                    sent["requests"] += 1
        except Exception as error:  # reported, then the check fails on the totals
            failures.append(repr(error))
        with lock:
            sent["retries"] += sender.retries

    started = time.time()
    threads = [threading.Thread(target=worker, args=(offset,)) for offset in range(args.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent["seconds"] = round(time.time() - started, 1)
    sent["failures"] = failures
    print(json.dumps(sent))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
