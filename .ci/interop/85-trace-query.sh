#!/usr/bin/env bash
# Jaeger's query API on the pipeline's monitoring endpoint, read back after real clients sent
# known traces: the official OpenTelemetry Python SDK over OTLP/HTTP and over Jaeger thrift
# (send_spans.py: api-gateway → a client call → one of three services, known failures). Every
# endpoint must return the workload: services, operations, trace and span counts, parent
# references, durations, the failed traces by the error tag, and the call graph.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
: "${BIN:?release bin path}" "${SHARED:?shared folder}" "${OTEL_PY:?}" "${JAEGER_PY:?}"
conf="$SHARED/conformance"
work="$(mktemp -d)"
pids=()
cleanup() { stop_pids; }
trap cleanup EXIT

OTLP_PORT=$(free_port); JAEGER_PORT=$(free_port); MON_PORT=$(free_port)
cat >"$work/pipeline.yaml" <<YAML
receivers:
  otlp: {protocols: {http: {endpoint: "127.0.0.1:$OTLP_PORT"}}}
  jaeger: {protocols: {thrift_http: {endpoint: "127.0.0.1:$JAEGER_PORT"}}}
processors:
  batch: {send_batch_size: 1000, timeout: 100ms}
exporters:
  tracestore: {storage: memory, max_bytes: 268435456, retention: 1h}
service:
  pipelines:
    traces: {receivers: [otlp, jaeger], processors: [batch], exporters: [tracestore]}
  monitoring: {endpoint: "127.0.0.1:$MON_PORT"}
YAML
start_pipeline pipeline "$MON_PORT"

ratios="auth-service=0,user-service=0.2,catalog-service=0.5"
"$OTEL_PY" "$conf/send_spans.py" --endpoint "http://127.0.0.1:$OTLP_PORT" --protocol otlp --traces 300 \
  --error-ratios "$ratios" --seed 21 --truth "$work/truth-otlp.json" >/dev/null
"$JAEGER_PY" "$conf/send_spans.py" --endpoint "http://127.0.0.1:$JAEGER_PORT" --protocol jaeger --traces 300 \
  --error-ratios "$ratios" --seed 22 --truth "$work/truth-jaeger.json" >/dev/null

python3 - "http://127.0.0.1:$MON_PORT" "$work/truth-otlp.json" "$work/truth-jaeger.json" <<'PY'
import json, sys, time, urllib.error, urllib.parse, urllib.request
base, truths = sys.argv[1], [json.load(open(path)) for path in sys.argv[2:]]
downstream = ["auth-service", "user-service", "catalog-service"]
traces = sum(t["traces"] for t in truths)
spans = {s: sum(t["services"][s]["spans"] for t in truths) for s in ["api-gateway"] + downstream}
errors = {s: sum(t["services"][s]["errors"] for t in truths) for s in downstream}

def get(path, expect=200, **params):
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    assert status == expect, f"{url}: {status} {body[:300]!r}"
    return json.loads(body)

# The batch processor flushes within 100 ms; wait, bounded, for every span.
deadline = time.time() + 30
while True:
    stored = sum(len(t["spans"]) for t in get("/api/traces", service="api-gateway", limit=10000)["data"])
    if stored == sum(spans.values()) or time.time() > deadline:
        break
    time.sleep(0.2)
assert stored == sum(spans.values()), f"{stored} spans stored in api-gateway's traces, sent {sum(spans.values())}"

services = get("/api/services")
assert services["data"] == sorted(spans) and services["total"] == 4 and services["errors"] is None, services
operations = get("/api/services/api-gateway/operations")["data"]
assert operations == sorted([f"GET /api/v1/{s.split('-')[0]}" for s in downstream] + [f"GET {s}" for s in downstream]), operations
kinds = {(o["name"], o["spanKind"]) for o in get("/api/operations", service="api-gateway", spanKind="client")["data"]}
assert kinds == {(f"GET {s}", "client") for s in downstream}, kinds

everything = get("/api/traces", service="api-gateway", limit=10000)["data"]
assert len(everything) == traces, (len(everything), traces)
for trace in everything:
    by_id = {span["spanID"]: span for span in trace["spans"]}
    assert len(by_id) == 3, trace["traceID"]
    root = [s for s in trace["spans"] if not s["references"]]
    assert len(root) == 1, trace["traceID"]
    for span in trace["spans"]:
        assert span["duration"] > 0 and span["traceID"] == trace["traceID"]
        for reference in span["references"]:
            assert reference["refType"] == "CHILD_OF" and reference["spanID"] in by_id, (trace["traceID"], reference)
            parent = by_id[reference["spanID"]]
            assert parent["startTime"] <= span["startTime"]
        process = trace["processes"][span["processID"]]
        assert process["serviceName"] in spans
    server = [s for s in trace["spans"] if trace["processes"][s["processID"]]["serviceName"] != "api-gateway"][0]
    assert by_id[server["references"][0]["spanID"]]["operationName"].startswith("GET "), trace["traceID"]
    assert root[0]["duration"] > server["duration"], trace["traceID"]

for service in downstream:
    found = get("/api/traces", service=service, limit=10000)
    assert found["total"] == spans[service], (service, found["total"], spans[service])
    failed = get("/api/traces", service=service, tags=json.dumps({"error": "true"}), limit=10000)["data"]
    assert len(failed) == errors[service], (service, len(failed), errors[service])
    for trace in failed:
        span = [s for s in trace["spans"] if trace["processes"][s["processID"]]["serviceName"] == service][0]
        tags = {t["key"]: t["value"] for t in span["tags"]}
        assert tags.get("error") is True and tags.get("otel.status_code") == "ERROR", tags
        # The exception event: named by `event` over OTLP; Jaeger thrift clients put the name in `message`.
        assert any(f["key"] in ("event", "message") and f["value"] == "exception" for log in span["logs"] for f in log["fields"]), span["logs"]
    fetched = get("/api/traces/" + found["data"][0]["traceID"])["data"][0]
    assert len(fetched["spans"]) == 3

dependencies = {(d["parent"], d["child"]): d["callCount"] for d in get("/api/dependencies", endTs=int(time.time() * 1000), lookback=3_600_000)["data"]}
assert dependencies == {("api-gateway", s): spans[s] for s in downstream}, dependencies

bad = get("/api/traces", expect=400, service="api-gateway", minDuration="soon")
assert bad["data"] is None and bad["errors"][0]["code"] == 400 and "minDuration" in bad["errors"][0]["msg"], bad
assert "service" in get("/api/traces", expect=400)["errors"][0]["msg"]
get("/api/traces/00000000000000000000000000000bad", expect=404)
print(f"trace query API: {traces} traces, {sum(spans.values())} spans from OTLP/HTTP and Jaeger thrift; "
      f"failed traces by tag {errors}; dependencies {dependencies}")
PY
