# Helpers the interop checks share; sourced, never run as a check (.ci/run runs only
# .ci/interop/*.sh). Each check keeps its own `pids` array and cleanup trap; the helpers
# that start processes or read results also use the check's `work` folder.

interop_lib="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# A free TCP port on loopback.
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# wait_for URL SECONDS: polls URL every 0.1 s until it answers 2xx; fails after SECONDS.
wait_for() {
  for _ in $(seq $(( $2 * 10 ))); do curl -fsS "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
  return 1
}

# Stops every process in the caller's `pids` array and waits for them.
stop_pids() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}

# start_collector: runs the reference backend (collector.py, decoding with the official protobuf
# code) on a port of its choosing; it writes what it decodes to $work/decoded.jsonl. Sets
# COLLECTOR_PORT once the port file appears (up to 10 s).
start_collector() {
  "$JAEGER_PY" "$SHARED/conformance/collector.py" --port 0 --port-file "$work/collector.port" \
    --out "$work/decoded.jsonl" >"$work/collector.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do [ -s "$work/collector.port" ] && break; sleep 0.1; done
  COLLECTOR_PORT=$(cat "$work/collector.port")
}

# start_pipeline NAME MON_PORT: validates $work/NAME.yaml, runs telemetry-pipeline on it with its
# log in $work/NAME.log and waits up to 20 s for /ready on MON_PORT; prints the log and fails if
# it never answers. Sets started_pid.
start_pipeline() {
  "$BIN/telemetry-pipeline" --config "$work/$1.yaml" --validate
  "$BIN/telemetry-pipeline" --config "$work/$1.yaml" >"$work/$1.log" 2>&1 &
  started_pid=$!
  pids+=("$started_pid")
  wait_for "http://127.0.0.1:$2/ready" 20 || { cat "$work/$1.log"; echo "$work/$1.yaml: pipeline never became ready"; exit 1; }
}

# stop_pipeline PID: a graceful shutdown, SIGTERM, drains and exits 0.
stop_pipeline() {
  kill -TERM "$1"
  local rc=0; wait "$1" || rc=$?
  [ "$rc" = 0 ] || { echo "pipeline exited $rc on SIGTERM"; exit 1; }
}

# truth_span_count TRUTH...: how many spans the send_spans.py runs that wrote these truth files sent.
truth_span_count() {
  python3 -c 'import json, sys; print(sum(s["spans"] for f in sys.argv[1:] for s in json.load(open(f))["services"].values()))' "$@"
}

# How many spans the collector has decoded so far.
decoded_span_count() { python3 - "$work/decoded.jsonl" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1]):
    for rs in json.loads(line).get("body", {}).get("resourceSpans", []):
        for ss in rs.get("scopeSpans", []):
            n += len(ss.get("spans", []))
print(n)
PY
}

# check_forwarded VIA TRUTH...: waits up to 30 s for the collector to decode as many spans as the
# truth files say were sent (over VIA), then fails unless it decoded every forwarded request
# and exactly that many spans.
check_forwarded() {
  local via=$1; shift
  local expected forwarded
  expected=$(truth_span_count "$@")
  for _ in $(seq 150); do [ "$(decoded_span_count)" -ge "$expected" ] && break; sleep 0.2; done
  forwarded=$(decoded_span_count)
  echo "spans sent over $via: $expected, forwarded to the collector and decoded: $forwarded"
  if grep -q '"error"' "$work/decoded.jsonl"; then grep '"error"' "$work/decoded.jsonl" | head -3; echo "collector could not decode a forwarded request"; exit 1; fi
  [ "$forwarded" = "$expected" ] || { echo "forwarded span count differs from the truth"; exit 1; }
}

# check_derived_metrics PROM_PORT [--error-rates] TRUTH...: a real Prometheus scrapes the
# pipeline's exporter for 12 s (answers in $work/scrape.jsonl); compare_truth.py then holds
# them to the truth files. The queries are the ones compare_truth.py looks up.
check_derived_metrics() {
  local target="127.0.0.1:$1"; shift
  local queries=('sum by (service_name) (traces_span_metrics_calls_total)'
                 'sum by (service_name) (traces_span_metrics_calls_total{status_code="STATUS_CODE_ERROR"})')
  [ "$1" != --error-rates ] || queries+=('error_rate')
  queries+=('service_health_status')
  bash "$SHARED/conformance/prometheus_scrape.sh" "$target" /metrics 12 "${queries[@]}" >"$work/scrape.jsonl"
  cat "$work/scrape.jsonl"
  python3 "$interop_lib/compare_truth.py" "$work" "$@"
}
