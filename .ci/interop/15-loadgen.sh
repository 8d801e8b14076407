#!/usr/bin/env bash
# The load generator delivers all it generates: `telemetry-loadgen --traces 20000` with the
# batch processor's default queue (2 048 spans) produces spans far faster than they export;
# its processors run in blocking mode, so every one of the 100 000 spans must reach
# collector.py (decoded by the official Jaeger and OpenTelemetry code), over Jaeger thrift and
# over OTLP/HTTP, with `dropped_by_processor` 0.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
SHARED=${SHARED:-$(cd "$ROOT/../shared" && pwd)}
BIN=${BIN:-$ROOT/.build/debug}
if [[ -z "${JAEGER_PY:-}" ]]; then eval "$("$SHARED/conformance/setup-peers.sh")"; fi
LOADGEN="$BIN/telemetry-loadgen"
[[ -x "$LOADGEN" ]] || { echo "missing $LOADGEN (build with: swift build --product telemetry-loadgen)"; exit 1; }
WORK=$(mktemp -d)
pids=()
trap stop_pids EXIT
# Default settings, as a new user runs it: no OTEL_BSP_* tuning, no sampler.
unset OTEL_BSP_SCHEDULE_DELAY OTEL_BSP_MAX_QUEUE_SIZE OTEL_BSP_MAX_EXPORT_BATCH_SIZE OTEL_BSP_EXPORT_TIMEOUT \
  OTEL_TRACES_EXPORTER OTEL_EXPORTER_OTLP_ENDPOINT OTEL_EXPORTER_OTLP_TRACES_ENDPOINT OTEL_EXPORTER_OTLP_PROTOCOL \
  OTEL_EXPORTER_OTLP_COMPRESSION TRACING_SAMPLER OTEL_TRACES_SAMPLER OTEL_SERVICE_NAME || true
TRACES=20000
SPANS=$(( TRACES * 5 ))  # frontend → checkout → inventory: 2 + 2 + 1 spans a trace

for case in jaeger:/api/traces otlp:/v1/traces; do
  name=${case%%:*} path=${case#*:}
  port=$(free_port)
  "$JAEGER_PY" "$SHARED/conformance/collector.py" --port "$port" --out "$WORK/$name.jsonl" > "$WORK/$name.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$port/stats" 30 || { cat "$WORK/$name.log"; exit 1; }
  started=$SECONDS
  TRACING_ENDPOINT="http://127.0.0.1:$port$path" "$LOADGEN" --traces "$TRACES" > "$WORK/$name.summary"
  echo "$name: loadgen took $(( SECONDS - started ))s: $(tail -1 "$WORK/$name.summary")"
  "$JAEGER_PY" - "$WORK/$name.jsonl" "$WORK/$name.summary" "$SPANS" "$name" <<'PY'
import json, sys
decoded, summary_path, expected, name = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
summary = json.loads(open(summary_path).read().strip().splitlines()[-1])
lines = [json.loads(l) for l in open(decoded)]
errors = [l["error"] for l in lines if "error" in l]
ids = set()
for l in lines:
    if "error" in l:
        continue
    b = l["body"]
    if l["kind"] == "jaeger":
        ids.update((s["traceIdHigh"], s["traceIdLow"], s["spanId"]) for s in b["spans"])
    else:
        for rs in b.get("resourceSpans", []):
            for ss in rs.get("scopeSpans", []):
                ids.update((s["traceId"], s["spanId"]) for s in ss.get("spans", []))
fail = []
if errors: fail.append(f"{len(errors)} undecodable requests, first: {errors[0]}")
if summary["spans"] != expected: fail.append(f"loadgen reports {summary['spans']} spans, want {expected}")
if summary["dropped_by_processor"] != 0: fail.append(f"dropped_by_processor {summary['dropped_by_processor']}")
if len(ids) != expected: fail.append(f"collector decoded {len(ids)} distinct spans, want {expected}")
if fail:
    sys.exit(f"FAIL {name}: " + "; ".join(fail))
print(f"ok: {name}: {len(ids)} spans decoded in {len(lines)} requests, dropped_by_processor 0")
PY
  stop_pids
  pids=()
done
