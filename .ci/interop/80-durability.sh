#!/usr/bin/env bash
# Crash and outage check of the persistent sending queue (file_storage), against the
# reference collector. A client records every request the pipeline answered 200; those
# spans must reach the backend (duplicates allowed and counted), whatever happened between:
#  A. backend down, workload accepted, pipeline killed with SIGKILL, restarted, backend up;
#  B. the same with the kill in the middle of a write burst (only answered requests count);
#  C. a 503 outage within the queue's bound: nothing lost;
#  D. an outage beyond the bound (queue_size 5): accepted = delivered + counted drops, exactly.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
: "${BIN:?bin path}" "${SHARED:?shared folder}" "${JAEGER_PY:?}"
conf="$SHARED/conformance"
here="$(cd "$(dirname "$0")" && pwd)/durability"
work="$(mktemp -d)"
pids=()
PIPELINE_PID=""
COLLECTOR_PID=""
cleanup() { stop_pids; }
trap cleanup EXIT

OTLP_PORT=$(free_port); PROM_PORT=$(free_port); MON_PORT=$(free_port); COLLECTOR_PORT=$(free_port)
ENDPOINT="http://127.0.0.1:$OTLP_PORT/v1/traces"

write_config() {  # write_config FILE QUEUE_DIR QUEUE_SIZE CONSUMERS PROCESSORS
  cat >"$1" <<YAML
extensions:
  file_storage: {directory: "$2"}
receivers:
  otlp: {protocols: {http: {endpoint: "127.0.0.1:$OTLP_PORT"}}}
processors:
  batch: {send_batch_size: 500, timeout: 100ms}
exporters:
  otlphttp:
    endpoint: "http://127.0.0.1:$COLLECTOR_PORT"
    encoding: json
    retry_on_failure: {initial_interval: 100ms, max_interval: 500ms, max_elapsed_time: 0s}
    sending_queue: {queue_size: $3, num_consumers: $4, storage: file_storage}
  prometheus: {endpoint: "127.0.0.1:$PROM_PORT"}
service:
  extensions: [file_storage]
  pipelines: {traces: {receivers: [otlp], processors: [$5], exporters: [otlphttp, prometheus]}}
  monitoring: {endpoint: "127.0.0.1:$MON_PORT"}
YAML
}

start_pipeline() {  # start_pipeline CONFIG LOG
  "$BIN/telemetry-pipeline" --config "$1" >>"$2" 2>&1 &
  PIPELINE_PID=$!
  pids+=("$PIPELINE_PID")
  wait_for "http://127.0.0.1:$MON_PORT/ready" 60 || { cat "$2"; echo "pipeline never became ready"; exit 1; }
}

start_collector() {  # start_collector OUT [collector options...]
  local out=$1; shift
  "$JAEGER_PY" "$conf/collector.py" --port "$COLLECTOR_PORT" --out "$out" "$@" >>"$work/collector.log" 2>&1 &
  COLLECTOR_PID=$!
  pids+=("$COLLECTOR_PID")
  wait_for "http://127.0.0.1:$COLLECTOR_PORT/stats" 30 || { cat "$work/collector.log"; echo "collector never started"; exit 1; }
}

stop_collector() { kill "$COLLECTOR_PID"; wait "$COLLECTOR_PID" 2>/dev/null || true; }

# compare PREFIX: what the backends decoded against what was acknowledged, as JSON.
compare() { cat "$work"/decoded-*.jsonl 2>/dev/null >"$work/all.jsonl" || true; python3 "$here/delivered.py" "$work/all.jsonl" "$work/acked.txt" --prefix "$1"; }

# await_delivery PREFIX SECONDS: waits until no acknowledged span of PREFIX is missing.
await_delivery() {
  local result
  for _ in $(seq $(( $2 * 2 ))); do
    result=$(compare "$1")
    [ "$(echo "$result" | python3 -c 'import json,sys; print(json.load(sys.stdin)["lost"])')" = 0 ] && { echo "$result"; return 0; }
    sleep 0.5
  done
  echo "$result"; tail -20 "$work/pipeline.log"; echo "FAIL: acknowledged spans of $1 never arrived"; exit 1
}

field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

write_config "$work/pipeline.yaml" "$work/queue" 1000 10 batch
"$BIN/telemetry-pipeline" --config "$work/pipeline.yaml" --validate

echo "== A: backend down, 5000 spans accepted, SIGKILL, restart, backend up"
start_pipeline "$work/pipeline.yaml" "$work/pipeline.log"
a=$(python3 "$here/client.py" --endpoint "$ENDPOINT" --requests 100 --spans 50 --concurrency 4 --prefix a1 --acked "$work/acked.txt")
echo "client: $a"
[ "$(field "$a" acked_spans)" = 5000 ] || { echo "FAIL: the pipeline did not accept the whole workload"; exit 1; }
ls -la "$work/queue"/* | head -5
kill -9 "$PIPELINE_PID"; wait "$PIPELINE_PID" 2>/dev/null || true
start_pipeline "$work/pipeline.yaml" "$work/pipeline.log"
start_collector "$work/decoded-a.jsonl"
resultA=$(await_delivery a1 60)
echo "A: $resultA"

echo "== B: backend down, SIGKILL in the middle of a write burst"
stop_collector
python3 "$here/client.py" --endpoint "$ENDPOINT" --requests 4000 --spans 50 --concurrency 8 --prefix b2 --acked "$work/acked.txt" \
  >"$work/client-b.json" &
CLIENT_PID=$!
for _ in $(seq 100); do [ "$(grep -c '^b2' "$work/acked.txt" || true)" -ge 10000 ] && break; sleep 0.1; done
kill -9 "$PIPELINE_PID"; wait "$PIPELINE_PID" 2>/dev/null || true
wait "$CLIENT_PID" || true
echo "client: $(cat "$work/client-b.json")"
b_acked=$(grep -c '^b2' "$work/acked.txt" || true)
[ "$b_acked" -ge 1000 ] || { echo "FAIL: too little was accepted before the kill ($b_acked)"; exit 1; }
start_pipeline "$work/pipeline.yaml" "$work/pipeline.log"
start_collector "$work/decoded-b.jsonl"
resultB=$(await_delivery b2 90)
echo "B: $resultB"
grep -E "journal (replayed|: skipped)" "$work/pipeline.log" | tail -3 || true

echo "== C: 503 outage (first 200 posts, Retry-After 1) under 40 s of load, within the bound"
stop_collector
start_collector "$work/decoded-c.jsonl" --fail-first 200 --fail-status 503 --retry-after 1
c=$(python3 "$here/client.py" --endpoint "$ENDPOINT" --requests 400 --spans 50 --concurrency 4 --rate 10 --prefix c3 --acked "$work/acked.txt")
echo "client: $c; collector: $(curl -fsS "http://127.0.0.1:$COLLECTOR_PORT/stats")"
resultC=$(await_delivery c3 90)
echo "C: $resultC"

echo "== D: outage beyond the bound (queue_size 5, one consumer, no batching): drops counted exactly"
kill "$PIPELINE_PID"; wait "$PIPELINE_PID" 2>/dev/null || true
stop_collector
write_config "$work/pipeline-small.yaml" "$work/queue-small" 5 1 ""
start_pipeline "$work/pipeline-small.yaml" "$work/pipeline.log"
start_collector "$work/decoded-d.jsonl" --fail-first 60 --fail-status 503
d=$(python3 "$here/client.py" --endpoint "$ENDPOINT" --requests 300 --spans 20 --concurrency 4 --rate 30 --prefix d4 --acked "$work/acked.txt")
echo "client: $d"
dropped=0; resultD=""
for _ in $(seq 120); do
  resultD=$(compare d4)
  dropped=$(curl -fsS "http://127.0.0.1:$PROM_PORT/metrics" | awk '/^telemetry_exporter_spans_dropped_total\{exporter="otlphttp"/ { s += $2 } END { print s + 0 }')
  delivered=$(field "$resultD" delivered_distinct_with_prefix)
  [ $(( delivered + dropped )) -ge "$(field "$d" acked_spans)" ] && break
  sleep 0.5
done
echo "D: $resultD dropped=$dropped"
curl -fsS "http://127.0.0.1:$PROM_PORT/metrics" | grep -E '^telemetry_exporter_(spans_dropped_total|queue_(size|capacity))\{exporter="otlphttp"' || true
[ "$dropped" -gt 0 ] || { echo "FAIL: the outage never overflowed the queue"; exit 1; }
[ $(( $(field "$resultD" delivered_distinct_with_prefix) + dropped )) = "$(field "$d" acked_spans)" ] || {
  echo "FAIL: accepted $(field "$d" acked_spans) != delivered $(field "$resultD" delivered_distinct_with_prefix) + dropped $dropped"; exit 1; }
echo "durability: A $(field "$resultA" acked) accepted, 0 lost, $(field "$resultA" duplicates) duplicates; B $(field "$resultB" acked) accepted, 0 lost, $(field "$resultB" duplicates) duplicates; C 0 lost; D accepted = delivered + $dropped dropped"
