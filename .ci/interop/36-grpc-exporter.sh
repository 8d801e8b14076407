#!/usr/bin/env bash
# Our OTLP/gRPC exporters against the official generated gRPC stubs (collector.py --grpc-port):
# the SDK exporter (telemetry-loadgen with OTEL_EXPORTER_OTLP_PROTOCOL=grpc) and the pipeline's
# `otlp` exporter (fed OTLP/HTTP by the official Python SDK's send_spans.py). Every span must
# decode field for field as its OTLP/HTTP twin does (ids, names, kinds, times, attributes, status,
# events, resource, scope); under --fail-first 3 with RetryInfo nothing is lost and the retries
# wait as long as the server asked.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
: "${BIN:?bin path}" "${SHARED:?shared folder}" "${OTEL_PY:?}" "${JAEGER_PY:?}"
conf="$SHARED/conformance"
work="$(mktemp -d)"
pids=()
trap stop_pids EXIT
export OTEL_BSP_SCHEDULE_DELAY=100 OTEL_BSP_MAX_QUEUE_SIZE=65536 OTEL_BSP_EXPORT_TIMEOUT=60000
unset OTEL_TRACES_EXPORTER OTEL_EXPORTER_OTLP_ENDPOINT OTEL_EXPORTER_OTLP_TRACES_ENDPOINT OTEL_EXPORTER_OTLP_PROTOCOL \
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL OTEL_EXPORTER_OTLP_COMPRESSION OTEL_EXPORTER_OTLP_HEADERS TRACING_ENDPOINT \
  TRACING_SAMPLER OTEL_TRACES_SAMPLER OTEL_SERVICE_NAME || true

# start_collector NAME [collector options...]: an HTTP and a gRPC listener; sets HTTP_PORT, GRPC_PORT.
start_collector() {
  local name=$1; shift
  : >"$work/$name.jsonl"
  "$JAEGER_PY" "$conf/collector.py" --port 0 --port-file "$work/$name.port" --grpc-port 0 \
    --grpc-port-file "$work/$name.grpc-port" --out "$work/$name.jsonl" "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 300); do [[ -s "$work/$name.port" && -s "$work/$name.grpc-port" ]] && break; sleep 0.1; done
  [[ -s "$work/$name.grpc-port" ]] || { cat "$work/$name.log"; echo "collector $name did not start"; exit 1; }
  HTTP_PORT=$(cat "$work/$name.port"); GRPC_PORT=$(cat "$work/$name.grpc-port")
}

# spans FILE KIND: spans decoded so far from lines of KIND.
spans() {
  python3 - "$1" "$2" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1]):
    l = json.loads(line)
    if l.get("kind") == sys.argv[2] and "error" not in l:
        n += sum(len(s.get("spans", [])) for r in l["body"].get("resourceSpans", []) for s in r.get("scopeSpans", []))
print(n)
PY
}

# wait_spans FILE KIND N SECONDS: polls until N spans of KIND decoded.
wait_spans() {
  for _ in $(seq $(( $4 * 10 ))); do [[ "$(spans "$1" "$2")" -ge "$3" ]] && return 0; sleep 0.1; done
  echo "only $(spans "$1" "$2") of $3 $2 spans arrived in $1"; return 1
}

cat >"$work/compare.py" <<'PY'
"""Compares the spans of two request kinds (or files) field for field, keyed by trace and span ID."""
import argparse, json, sys
p = argparse.ArgumentParser()
p.add_argument("--a"); p.add_argument("--a-kind"); p.add_argument("--b"); p.add_argument("--b-kind")
p.add_argument("--expect", type=int, required=True)
p.add_argument("--ignore-times", action="store_true", help="two runs of one seeded workload: same spans, other clock")
p.add_argument("--header", default="", help="k=v every --b request must carry")
a = p.parse_args()

def load(path, kind, header=""):
    spans, problems = {}, []
    for line in open(path):
        l = json.loads(line)
        if "error" in l: problems.append(l["error"]); continue
        if l.get("kind") != kind: continue
        h = l.get("headers", {})
        if header:
            k, _, v = header.partition("=")
            if h.get(k) != v: problems.append(f"header {k}={h.get(k)!r}, want {v!r}")
        for r in l["body"].get("resourceSpans", []):
            resource = sorted(json.dumps(x, sort_keys=True) for x in r.get("resource", {}).get("attributes", []))
            for s in r.get("scopeSpans", []):
                scope = s.get("scope", {})
                for span in s.get("spans", []):
                    for key in ("traceId", "spanId", "name", "kind", "startTimeUnixNano", "endTimeUnixNano"):
                        if not span.get(key): problems.append(f"span without {key}: {span.get('name')}")
                    if int(span["endTimeUnixNano"]) < int(span["startTimeUnixNano"]): problems.append("span ends before it starts")
                    span = dict(span, resource=resource, scope=scope)
                    # Attribute order carries no meaning (and follows a per-process hash seed).
                    span["attributes"] = sorted(json.dumps(x, sort_keys=True) for x in span.get("attributes", []))
                    span["events"] = [dict(e, attributes=sorted(json.dumps(x, sort_keys=True) for x in e.get("attributes", [])))
                                      for e in span.get("events", [])]
                    if a.ignore_times:
                        for key in ("startTimeUnixNano", "endTimeUnixNano"): span.pop(key)
                        for e in span.get("events", []): e.pop("timeUnixNano", None)
                    key = (span["traceId"], span["spanId"])
                    if key in spans: problems.append(f"span {key} arrived twice")
                    spans[key] = span
    return spans, problems

first, p1 = load(a.a, a.a_kind)
second, p2 = load(a.b, a.b_kind, a.header)
fail = sorted(set(p1 + p2))[:5]
if len(first) != a.expect or len(second) != a.expect:
    fail.append(f"{len(first)} {a.a_kind} and {len(second)} {a.b_kind} spans, want {a.expect} each")
missing = first.keys() - second.keys()
if missing: fail.append(f"{len(missing)} spans missing from {a.b_kind}, e.g. {sorted(missing)[0]}")
differ = [k for k in first.keys() & second.keys() if first[k] != second[k]]
if differ:
    k = differ[0]
    fields = sorted(f for f in set(first[k]) | set(second[k]) if first[k].get(f) != second[k].get(f))
    fail.append(f"{len(differ)} spans differ, e.g. {k} in {fields}: {[first[k].get(f) for f in fields]} vs {[second[k].get(f) for f in fields]}")
with_events = sum(1 for s in second.values() if s.get("events"))
errors = sum(1 for s in second.values() if s.get("status", {}).get("code") == "STATUS_CODE_ERROR")
if not with_events or not errors: fail.append(f"workload too thin: {with_events} spans with events, {errors} error spans")
if fail:
    print("FAIL:", *fail, sep="\n  "); sys.exit(1)
print(f"{len(second)} spans equal field for field ({with_events} with events, {errors} with error status)")
PY

# 1. Pipeline: OTLP/HTTP in; otlphttp and otlp (gRPC, default gzip, a header) out to the same
#    collector; the gRPC copy must equal the HTTP copy. (grpcio hides grpc-encoding from the
#    servicer, so gzip on the wire is asserted by the loopback unit tests, not here.)
start_collector pipeline
OTLP_PORT=$(free_port); MON_PORT=$(free_port)
cat >"$work/pipeline.yaml" <<YAML
receivers:
  otlp: {protocols: {http: {endpoint: "127.0.0.1:$OTLP_PORT"}}}
processors:
  batch: {send_batch_size: 500, timeout: 100ms}
exporters:
  otlphttp: {endpoint: "http://127.0.0.1:$HTTP_PORT"}
  otlp:
    endpoint: "127.0.0.1:$GRPC_PORT"
    tls: {insecure: true}
    headers: {x-check: pipeline-36}
service:
  pipelines:
    traces: {receivers: [otlp], processors: [batch], exporters: [otlphttp, otlp]}
  monitoring: {endpoint: "127.0.0.1:$MON_PORT"}
YAML
"$BIN/telemetry-pipeline" --config "$work/pipeline.yaml" --validate
"$BIN/telemetry-pipeline" --config "$work/pipeline.yaml" >"$work/pipeline.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$MON_PORT/ready" 30 || { cat "$work/pipeline.log"; echo "pipeline never became ready"; exit 1; }
"$OTEL_PY" "$conf/send_spans.py" --endpoint "http://127.0.0.1:$OTLP_PORT" --protocol otlp --traces 200 \
  --error-ratio 0.2 --seed 36 --truth "$work/truth.json" >/dev/null
expected=$(python3 -c 'import json,sys; print(sum(s["spans"] for s in json.load(open(sys.argv[1]))["services"].values()))' "$work/truth.json")
wait_spans "$work/pipeline.jsonl" otlp-grpc-traces "$expected" 30
wait_spans "$work/pipeline.jsonl" otlp-traces "$expected" 30
python3 "$work/compare.py" --a "$work/pipeline.jsonl" --a-kind otlp-traces --b "$work/pipeline.jsonl" --b-kind otlp-grpc-traces \
  --expect "$expected" --header x-check=pipeline-36
echo "ok: pipeline otlp exporter"

# 2. SDK: one seeded loadgen workload over OTLP/HTTP protobuf, then the same over OTLP/gRPC
#    (uncompressed, with a header); the two must agree on everything but the clock.
start_collector sdk
OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$HTTP_PORT" "$BIN/telemetry-loadgen" --traces 60 --error-ratio 0.3 --seed 36 >"$work/http.summary"
OTEL_EXPORTER_OTLP_PROTOCOL=grpc OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$GRPC_PORT" OTEL_EXPORTER_OTLP_HEADERS="x-check=sdk-36" \
  "$BIN/telemetry-loadgen" --traces 60 --error-ratio 0.3 --seed 36 >"$work/grpc.summary"
sdk_spans=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])["spans"])' "$work/grpc.summary")
wait_spans "$work/sdk.jsonl" otlp-grpc-traces "$sdk_spans" 10
python3 "$work/compare.py" --a "$work/sdk.jsonl" --a-kind otlp-traces --b "$work/sdk.jsonl" --b-kind otlp-grpc-traces \
  --expect "$sdk_spans" --ignore-times --header x-check=sdk-36
echo "ok: SDK OTLP/gRPC exporter"

# 3. Retries: the first 3 calls fail UNAVAILABLE with RetryInfo. The spans must all arrive, and
#    no sooner than the waits the server asked for (3 x RetryInfo) after the first attempt.
#    collector.py stamps no times, so arrival is taken from polling its output every 50 ms.
#    RetryInfo 3 s for the pipeline and 2 s for the SDK: 9 s and 6 s are more than our default
#    backoff can add up to (3.5 s), so only honouring RetryInfo passes.
check_retry() {  # NAME RETRY_AFTER SPANS START_EPOCH
  local name=$1 delay=$2 want=$3 start=$4
  for _ in $(seq 600); do [[ "$(spans "$work/$name.jsonl" otlp-grpc-traces)" -ge "$want" ]] && break; sleep 0.05; done
  python3 - "$work/$name.jsonl" "$want" "$start" "$(date +%s.%N)" "$delay" "$(spans "$work/$name.jsonl" otlp-grpc-traces)" <<'PY'
import sys
path, want, start, done, delay, got = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
gap = done - start
print(f"{got}/{want} spans after {gap:.2f} s (3 failures x RetryInfo {delay} s = {3 * delay} s)")
assert got == want, "spans lost"
assert 3 * delay <= gap <= 3 * delay + 15, "retries did not wait as asked"
PY
}

start_collector retry-pipeline --fail-first 3 --retry-after 3
OTLP_PORT=$(free_port); MON_PORT=$(free_port)
cat >"$work/retry.yaml" <<YAML
receivers:
  otlp: {protocols: {http: {endpoint: "127.0.0.1:$OTLP_PORT"}}}
processors:
  batch: {send_batch_size: 10000, timeout: 200ms}
exporters:
  # A short backoff, so only honouring RetryInfo explains the waits: retry_on_failure waits the
  # longer of its backoff and the server's delay, as the Collector's exporters do.
  otlp: {endpoint: "127.0.0.1:$GRPC_PORT", compression: none, retry_on_failure: {initial_interval: 100ms, max_interval: 1s}}
service:
  pipelines:
    traces: {receivers: [otlp], processors: [batch], exporters: [otlp]}
  monitoring: {endpoint: "127.0.0.1:$MON_PORT"}
YAML
"$BIN/telemetry-pipeline" --config "$work/retry.yaml" >"$work/retry-pipeline.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$MON_PORT/ready" 30 || { cat "$work/retry-pipeline.log"; exit 1; }
# The mark precedes the first export attempt, so the gap is at least the waits the server asked for.
start=$(date +%s.%N)
"$OTEL_PY" "$conf/send_spans.py" --endpoint "http://127.0.0.1:$OTLP_PORT" --protocol otlp --traces 50 \
  --error-ratio 0.2 --seed 7 --truth "$work/retry-truth.json" >/dev/null
expected=$(python3 -c 'import json,sys; print(sum(s["spans"] for s in json.load(open(sys.argv[1]))["services"].values()))' "$work/retry-truth.json")
check_retry retry-pipeline 3 "$expected" "$start"
echo "ok: pipeline retries honour RetryInfo"

start_collector retry-sdk --fail-first 3 --retry-after 2
start=$(date +%s.%N)
OTEL_EXPORTER_OTLP_PROTOCOL=grpc OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="127.0.0.1:$GRPC_PORT" OTEL_BSP_MAX_EXPORT_BATCH_SIZE=10000 \
  "$BIN/telemetry-loadgen" --traces 20 --services solo --seed 3 >"$work/retry-sdk.summary"
check_retry retry-sdk 2 "$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])["spans"])' "$work/retry-sdk.summary")" "$start"
# loadgen's own clock, from the first span to the flush that waited out the retries: the tighter bound.
python3 - "$work/retry-sdk.summary" <<'PY'
import json, sys
seconds = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])["seconds"]
print(f"loadgen took {seconds:.2f} s to deliver through 3 failures asking for 2 s each")
assert 6 <= seconds <= 12, "the SDK exporter did not wait as RetryInfo asked"
PY
echo "ok: SDK retries honour RetryInfo"
