"""Times Jaeger query API calls against a pipeline's trace store over one keep-alive connection.

Trace IDs to look up come from searches; searches mix the UI's common forms (service only,
service and operation, the error tag, a minimum duration) and a tag no span has, which makes
the store scan every trace: the worst case. Prints one JSON object of latencies in ms."""
import argparse
import http.client
import json
import random
import time
import urllib.parse


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--lookups", type=int, default=500)
    parser.add_argument("--searches", type=int, default=200)
    args = parser.parse_args()
    connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
    rng = random.Random(11)

    def get(path, **params):
        query = urllib.parse.urlencode(params)
        started = time.perf_counter()
        connection.request("GET", path + ("?" + query if query else ""))
        response = connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise SystemExit(f"{path} {params}: {response.status} {body[:200]!r}")
        return json.loads(body), elapsed

    services, _ = get("/api/services")
    services = services["data"]
    operations = {s: get(f"/api/services/{urllib.parse.quote(s, safe='')}/operations")[0]["data"] for s in services}
    ids = []
    for service in services:
        found, _ = get("/api/traces", service=service, limit=200)
        ids += [trace["traceID"] for trace in found["data"]]
    rng.shuffle(ids)

    lookups = []
    spans = 0
    for trace_id in (ids * (1 + args.lookups // max(1, len(ids))))[: args.lookups]:
        found, elapsed = get(f"/api/traces/{trace_id}")
        spans += len(found["data"][0]["spans"])
        lookups.append(elapsed)

    kinds = {"service": [], "operation": [], "error": [], "minDuration": [], "absent tag (full scan)": []}
    for index in range(args.searches):
        service = rng.choice(services)
        kind = list(kinds)[index % len(kinds)]
        params = {"service": service, "limit": 20}
        if kind == "operation":
            params["operation"] = rng.choice(operations[service])
        elif kind == "error":
            params["tags"] = json.dumps({"error": "true"})
        elif kind == "minDuration":
            params["minDuration"] = "50ms"
        elif kind.startswith("absent"):
            params["tags"] = json.dumps({"no.such.tag": "x"})
        _, elapsed = get("/api/traces", **params)
        kinds[kind].append(elapsed)
    searches = [value for values in kinds.values() for value in values]
    print(json.dumps({
        "lookup_ms": {"p50": percentile(lookups, 50), "p99": percentile(lookups, 99), "max": max(lookups), "n": len(lookups)},
        "spans_per_lookup": spans / max(1, len(lookups)),
        "search_ms": {"p50": percentile(searches, 50), "p99": percentile(searches, 99), "max": max(searches), "n": len(searches)},
        "search_p99_ms_by_kind": {kind: percentile(values, 99) for kind, values in kinds.items() if values},
    }))


if __name__ == "__main__":
    main()
