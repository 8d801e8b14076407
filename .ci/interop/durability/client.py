#!/usr/bin/env python3
"""A load client that remembers what the pipeline acknowledged.

Posts OTLP/JSON trace requests (unique span IDs: PREFIX then a counter, 16 hex digits) to a
receiver from several threads and appends the span IDs of every request answered 200 to
--acked, one per line, flushed before the next request, so the file is the ground truth of
what was accepted even when the pipeline dies mid-burst. Refusals and connection errors
are counted, not retried. Prints a JSON summary. Standard library only.

  client.py --endpoint http://127.0.0.1:4318/v1/traces --requests 200 --spans 50 \
            --concurrency 4 --prefix 0a --acked acked.txt [--rate 40]
"""
import argparse, json, sys, threading, time, urllib.request, urllib.error

def body(prefix, first, count):
    now = time.time_ns()
    spans = []
    for i in range(first, first + count):
        span_id = f"{prefix}{i:0{16 - len(prefix)}x}"
        spans.append({
            "traceId": f"{prefix}{i // 10:0{32 - len(prefix)}x}", "spanId": span_id, "name": "durability-check",
            "kind": 2, "startTimeUnixNano": str(now - 1_000_000), "endTimeUnixNano": str(now),
        })
    request = {"resourceSpans": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "durability-client"}}]},
        "scopeSpans": [{"scope": {"name": "client"}, "spans": spans}]}]}
    return json.dumps(request).encode(), [s["spanId"] for s in spans]

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--requests", type=int, required=True)
    p.add_argument("--spans", type=int, default=50)
    p.add_argument("--concurrency", type=int, default=4)
    p.add_argument("--prefix", required=True)
    p.add_argument("--acked", required=True)
    p.add_argument("--rate", type=float, default=0, help="requests per second over all threads; 0: as fast as answered")
    args = p.parse_args()

    lock = threading.Lock()
    counts = {"acked_requests": 0, "acked_spans": 0, "refused": 0, "errors": 0}
    next_index = [0]
    started = time.monotonic()
    out = open(args.acked, "a")

    def worker():
        while True:
            with lock:
                index = next_index[0]
                if index >= args.requests:
                    return
                next_index[0] += 1
            if args.rate:
                delay = started + index / args.rate - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            payload, ids = body(args.prefix, index * args.spans, args.spans)
            request = urllib.request.Request(args.endpoint, data=payload, method="POST",
                                             headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    status = response.status
                    response.read()
            except urllib.error.HTTPError as e:
                status = e.code
            except Exception:  # noqa: BLE001 - a killed pipeline resets connections
                with lock:
                    counts["errors"] += 1
                continue
            with lock:
                if status == 200:
                    out.write("".join(i + "\n" for i in ids))
                    out.flush()
                    counts["acked_requests"] += 1
                    counts["acked_spans"] += len(ids)
                else:
                    counts["refused"] += 1

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.close()
    print(json.dumps(counts))

if __name__ == "__main__":
    sys.exit(main())
