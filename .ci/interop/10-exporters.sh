#!/usr/bin/env bash
# Exporters against the reference backend: telemetry-loadgen sends over Jaeger thrift,
# OTLP protobuf (gzip) and OTLP JSON to collector.py, which decodes every request with the
# official Jaeger and OpenTelemetry code; then retries under injected faults, an outage,
# and a 10% sampler.
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
SHARED=${SHARED:-$(cd "$ROOT/../shared" && pwd)}
BIN=${BIN:-$ROOT/.build/release}
if [[ -z "${JAEGER_PY:-}" ]]; then eval "$("$SHARED/conformance/setup-peers.sh")"; fi
LOADGEN="$BIN/telemetry-loadgen"
[[ -x "$LOADGEN" ]] || { echo "missing $LOADGEN (build with: swift build -c release --product telemetry-loadgen)"; exit 1; }
WORK=$(mktemp -d)
COLLECTOR_PID=""
trap '[[ -n "$COLLECTOR_PID" ]] && kill "$COLLECTOR_PID" 2>/dev/null; true' EXIT
# Fast batches; no sampling unless a case asks for it.
export OTEL_BSP_SCHEDULE_DELAY=100 OTEL_BSP_MAX_QUEUE_SIZE=65536 OTEL_BSP_EXPORT_TIMEOUT=60000
unset OTEL_TRACES_EXPORTER OTEL_EXPORTER_OTLP_ENDPOINT OTEL_EXPORTER_OTLP_TRACES_ENDPOINT OTEL_EXPORTER_OTLP_PROTOCOL \
  OTEL_EXPORTER_OTLP_COMPRESSION TRACING_SAMPLER OTEL_TRACES_SAMPLER OTEL_SERVICE_NAME || true

start_collector() {  # NAME [--port P] [collector options...]
  local name=$1; shift
  rm -f "$WORK/$name.port"
  local port_args=(--port 0)
  if [[ "${1:-}" == "--port" ]]; then port_args=(--port "$2"); shift 2; fi
  "$JAEGER_PY" "$SHARED/conformance/collector.py" "${port_args[@]}" --port-file "$WORK/$name.port" \
    --out "$WORK/$name.jsonl" "$@" > "$WORK/$name.collector.log" 2>&1 &
  COLLECTOR_PID=$!
  for _ in $(seq 100); do [[ -s "$WORK/$name.port" ]] && break; sleep 0.1; done
  PORT=$(cat "$WORK/$name.port")
}

stop_collector() {
  curl -s "http://127.0.0.1:$PORT/stats" > "$WORK/$1.stats" || echo '{}' > "$WORK/$1.stats"
  kill "$COLLECTOR_PID" 2>/dev/null || true
  wait "$COLLECTOR_PID" 2>/dev/null || true
  COLLECTOR_PID=""
}

check() {  # NAME MODE [extra checker options]
  "$JAEGER_PY" "$WORK/check.py" --decoded "$WORK/$1.jsonl" --summary "$WORK/$1.summary" --stats "$WORK/$1.stats" --mode "$2" "${@:3}"
  echo "ok: $1"
}

cat > "$WORK/check.py" <<'PY'
import argparse, json, sys

p = argparse.ArgumentParser()
p.add_argument("--decoded"); p.add_argument("--summary"); p.add_argument("--stats")
p.add_argument("--mode", choices=["full", "lossy", "sampled"])
p.add_argument("--expect-header", default="")
p.add_argument("--expect-posts-over", type=int, default=None)
a = p.parse_args()
summary = json.loads(open(a.summary).read().strip().splitlines()[-1])
stats = json.load(open(a.stats))
lines = [json.loads(l) for l in open(a.decoded)] if a.decoded else []
fail = []
errors = [l for l in lines if "error" in l]
if errors:
    fail.append(f"{len(errors)} error lines, first: {errors[0]['error']}")

def hex64(v): return format(v & (2**64 - 1), "016x")

spans = []
for l in lines:
    if "error" in l: continue
    if a.expect_header:
        k, _, v = a.expect_header.partition("=")
        if l["headers"].get(k) != v: fail.append(f"header {k} is {l['headers'].get(k)!r}, want {v!r}")
    b = l["body"]
    if l["kind"] == "jaeger":
        svc = b["process"]["serviceName"]
        for s in b["spans"]:
            tags = {t["key"]: t for t in s.get("tags", [])}
            attr_types = {k: {0: "string", 1: "double", 2: "bool", 3: "int"}[t["vType"]] for k, t in tags.items()}
            spans.append(dict(
                trace=hex64(s["traceIdHigh"]) + hex64(s["traceIdLow"]), span=hex64(s["spanId"]),
                parent=hex64(s["parentSpanId"]) if s.get("parentSpanId") else None, name=s["operationName"],
                kind=tags.get("span.kind", {}).get("vStr"), service=svc,
                error=tags.get("otel.status_code", {}).get("vStr") == "ERROR" and tags.get("error", {}).get("vBool") is True,
                start=s["startTime"] * 1000, end=(s["startTime"] + s["duration"]) * 1000, types=attr_types,
                events=[next(f["vStr"] for f in lg["fields"] if f["key"] == "event") for lg in s.get("logs", [])],
                tracestate=tags.get("w3c.tracestate", {}).get("vStr", ""),
                tags_array=tags.get("loadgen.tags", {}).get("vStr")))
    else:
        for rs in b.get("resourceSpans", []):
            res = {kv["key"]: kv["value"] for kv in rs.get("resource", {}).get("attributes", [])}
            svc = res["service.name"]["stringValue"]
            for ss in rs.get("scopeSpans", []):
                for s in ss.get("spans", []):
                    types = {}
                    for kv in s.get("attributes", []):
                        (t, v), = kv["value"].items()
                        types[kv["key"]] = {"stringValue": "string", "doubleValue": "double", "boolValue": "bool",
                                            "intValue": "int", "arrayValue": "array"}[t]
                    spans.append(dict(
                        trace=s["traceId"], span=s["spanId"], parent=s.get("parentSpanId") or None, name=s["name"],
                        kind=s["kind"].replace("SPAN_KIND_", "").lower(), service=svc,
                        error=s.get("status", {}).get("code") == "STATUS_CODE_ERROR",
                        start=int(s["startTimeUnixNano"]), end=int(s["endTimeUnixNano"]), types=types,
                        events=[e["name"] for e in s.get("events", [])], tracestate=s.get("traceState", ""),
                        tags_array=None))

traces = {}
for s in spans: traces.setdefault(s["trace"], []).append(s)
services = list(summary["spans_per_service"].keys())
per_trace = 2 * len(services) - 1
ids = set()
# A dropped batch (lossy mode) leaves partial traces; only complete deliveries are checked for shape.
for tid, group in (traces.items() if a.mode != "lossy" else []):
    if len(group) != per_trace: fail.append(f"trace {tid} has {len(group)} spans, want {per_trace}")
    byid = {s["span"]: s for s in group}
    roots = [s for s in group if s["parent"] is None]
    if len(roots) != 1: fail.append(f"trace {tid} has {len(roots)} roots")
    for s in group:
        if s["parent"] is not None and s["parent"] not in byid: fail.append(f"span {s['span']} has a parent outside its trace")
        if (s["trace"], s["span"]) in ids: fail.append(f"duplicate span {s['span']}")
        ids.add((s["trace"], s["span"]))
        if not (1.6e18 < s["start"] <= s["end"] < 4e18): fail.append(f"span {s['span']} has bad times {s['start']}..{s['end']}")
    for s in group:
        if s["kind"] == "server" and s["parent"] is not None:
            parent = byid.get(s["parent"])
            if parent and parent["kind"] != "client": fail.append(f"server span {s['span']} parent is {parent['kind']}")
        if s["kind"] == "client" and byid.get(s["parent"], {}).get("kind") != "server":
            fail.append(f"client span {s['span']} is not under a server span")
parents = {x["parent"] for x in spans if x["parent"] is not None}
for s in spans:
    if s["kind"] == "server":
        want = {"http.request.method": "string", "loadgen.trace_index": "int", "loadgen.ratio": "double", "loadgen.retried": "bool"}
        for k, t in want.items():
            if s["types"].get(k) != t: fail.append(f"span {s['span']} attribute {k} is {s['types'].get(k)}, want {t}"); break
        if s["tags_array"] is not None and json.loads(s["tags_array"])[0] != "synthetic": fail.append("array tag not a JSON array")
    # The failing service records the exception; spans the 5xx propagates back through are
    # errors without one.
    if s["error"] and s["span"] not in parents and "exception" not in s["events"]: fail.append(f"failing span {s['span']} lacks an exception event")
    if not s["name"]: fail.append("span without a name")

got_per_service = {}
for s in spans: got_per_service[s["service"]] = got_per_service.get(s["service"], 0) + 1
got_errors = sum(1 for s in spans if s["error"])
if a.mode == "full":
    if len(spans) != summary["spans"]: fail.append(f"received {len(spans)} spans, sent {summary['spans']}")
    if got_per_service != summary["spans_per_service"]: fail.append(f"per service {got_per_service} != {summary['spans_per_service']}")
    if got_errors != summary["error_spans"]: fail.append(f"{got_errors} error spans, sent {summary['error_spans']}")
    if len(traces) != summary["traces"]: fail.append(f"{len(traces)} traces, sent {summary['traces']}")
elif a.mode == "lossy":
    if not (0 < len(spans) < summary["spans"]): fail.append(f"received {len(spans)} of {summary['spans']} spans: a 400 batch was retried or all were lost")
    if stats.get("posts") != len(lines) + 1: fail.append(f"{stats.get('posts')} posts for {len(lines)} accepted: the 400 was retried")
elif a.mode == "sampled":
    n, kept = summary["traces"], summary["sampled_traces"]
    if not (0.07 * n <= kept <= 0.13 * n): fail.append(f"sampler kept {kept} of {n} traces, want about 10%")
    if len(traces) != kept: fail.append(f"{len(traces)} traces arrived, sampler kept {kept}")
    if any("th:" not in s["tracestate"] for s in spans): fail.append("a sampled span lacks ot=th in its tracestate")
if a.expect_posts_over is not None and stats.get("posts", 0) <= a.expect_posts_over:
    fail.append(f"only {stats.get('posts')} posts; the injected faults were not retried")
print(json.dumps({"spans": len(spans), "traces": len(traces), "errors": got_errors, "posts": stats.get("posts"),
                  "summary": summary}))
if fail:
    for f in fail[:20]: print("FAIL:", f, file=sys.stderr)
    sys.exit(1)
PY

loadgen() {  # NAME ARGS...
  local name=$1; shift
  "$LOADGEN" "$@" > "$WORK/$name.summary" 2> "$WORK/$name.stderr" || { cat "$WORK/$name.stderr"; exit 1; }
}

# 1. Jaeger thrift, chosen by the TRACING_ENDPOINT path.
start_collector jaeger
TRACING_ENDPOINT="http://127.0.0.1:$PORT/api/traces" loadgen jaeger --traces 200 --services gateway,orders,stock --error-ratio 0.2 --seed 3
stop_collector jaeger; check jaeger full

# 2. OTLP protobuf, gzip, chosen by the /v1/traces path.
start_collector otlp
TRACING_ENDPOINT="http://127.0.0.1:$PORT/v1/traces" OTEL_EXPORTER_OTLP_COMPRESSION=gzip \
  loadgen otlp --traces 200 --services gateway,orders,stock --error-ratio 0.2 --seed 4
stop_collector otlp; check otlp full --expect-header content-encoding=gzip

# 3. OTLP JSON through the standard variables.
start_collector json
OTEL_TRACES_EXPORTER=otlp OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$PORT" OTEL_EXPORTER_OTLP_PROTOCOL=http/json \
  OTEL_EXPORTER_OTLP_HEADERS="x-tenant=blue%20team" loadgen json --traces 200 --services gateway,orders --error-ratio 0.3 --seed 5
stop_collector json; check json full --expect-header "x-tenant=blue team"

# 4. The first three posts fail with 503 and Retry-After: 1; nothing is lost.
start_collector retry --fail-first 3 --fail-status 503 --retry-after 1
TRACING_ENDPOINT="http://127.0.0.1:$PORT/v1/traces" loadgen retry --traces 100 --services gateway,orders --error-ratio 0.1 --seed 6
stop_collector retry; check retry full --expect-posts-over 3

# 5. A 400 is final: that batch is dropped, never retried.
start_collector reject --fail-first 1 --fail-status 400
TRACING_ENDPOINT="http://127.0.0.1:$PORT/api/traces" loadgen reject --rate 50 --duration 2 --services gateway,orders --seed 7
stop_collector reject; check reject lossy

# 6. The backend is down for the first 10 s, then comes back: nothing within the queue is lost.
FREE_PORT=$("$JAEGER_PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
TRACING_ENDPOINT="http://127.0.0.1:$FREE_PORT/v1/traces" "$LOADGEN" --rate 20 --duration 12 --services gateway,orders --seed 8 \
  > "$WORK/outage.summary" 2> "$WORK/outage.stderr" &
LOADGEN_PID=$!
sleep 10
start_collector outage --port "$FREE_PORT"
wait "$LOADGEN_PID" || { cat "$WORK/outage.stderr"; exit 1; }
stop_collector outage; check outage full

# 7. A 10% sampler: about a tenth of the traces arrive, each complete.
start_collector sampled
TRACING_SAMPLER=0.1 TRACING_ENDPOINT="http://127.0.0.1:$PORT/v1/traces" loadgen sampled --traces 3000 --services gateway,orders --seed 9
stop_collector sampled; check sampled sampled

echo "10-exporters: all checks passed ($WORK)"
