#!/usr/bin/env bash
# The prometheusremotewrite exporter against a real Prometheus (Debian's, with its
# remote-write receiver on): three pipeline instances derive metrics from one workload the
# official OpenTelemetry Python SDK spreads over them, and push them. PromQL sums over the
# instances must equal the ground truth exactly, per service and in total; the three must
# appear as three distinct `instance` labels; promtool must accept what Prometheus stored;
# and an independent snappy implementation (cramjam) must decode the bodies we send.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
: "${BIN:?bin path}" "${SHARED:?shared folder}" "${OTEL_PY:?}"
conf="$SHARED/conformance"
work="$(mktemp -d)"
pids=()
cleanup() { stop_pids; }
trap cleanup EXIT

"$OTEL_PY" -c 'import cramjam' 2>/dev/null || "$OTEL_PY" -m pip install -q cramjam

PROM_PORT=$(free_port); CAPTURE_PORT=$(free_port)
: >"$work/prometheus.yml"
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" --web.enable-remote-write-receiver \
  --web.listen-address="127.0.0.1:$PROM_PORT" >"$work/prometheus.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$PROM_PORT/-/ready" 30 || { cat "$work/prometheus.log"; echo "FAIL: prometheus never became ready"; exit 1; }

# A capturing receiver for instance a's second exporter: keeps each body exactly as sent.
mkdir -p "$work/bodies"
"$OTEL_PY" - "$CAPTURE_PORT" "$work/bodies" >"$work/capture.log" 2>&1 <<'PY' &
import http.server, os, sys
port, out = int(sys.argv[1]), sys.argv[2]
class Capture(http.server.BaseHTTPRequestHandler):
    n = 0
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Capture.n += 1
        with open(os.path.join(out, "%04d.snappy" % Capture.n), "wb") as f: f.write(body)
        with open(os.path.join(out, "%04d.headers" % Capture.n), "w") as f: f.write(str(self.headers))
        self.send_response(204); self.end_headers()
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", port), Capture).serve_forever()
PY
pids+=($!)

endpoints=(); pipeline_pids=()
for name in a b c; do
  otlp=$(free_port); mon=$(free_port)
  capture=""
  [ "$name" = a ] && capture="  prometheusremotewrite/capture: {endpoint: \"http://127.0.0.1:$CAPTURE_PORT/api/v1/write\", export_interval: 1s}"
  cat >"$work/$name.yaml" <<YAML
receivers:
  otlp: {protocols: {http: {endpoint: "127.0.0.1:$otlp"}}}
processors:
  batch: {send_batch_size: 1000, timeout: 100ms}
  spanmetrics: {}
  errors: {}
exporters:
  prometheusremotewrite:
    endpoint: "http://127.0.0.1:$PROM_PORT/api/v1/write"
    export_interval: 1s
    external_labels: {cluster: interop}
    retry_on_failure: {initial_interval: 100ms}
$capture
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch, spanmetrics, errors]
      exporters: [prometheusremotewrite$([ "$name" = a ] && echo ", prometheusremotewrite/capture")]
  monitoring: {endpoint: "127.0.0.1:$mon", name: gateway}
YAML
  start_pipeline "$name" "$mon"
  pipeline_pids+=("$started_pid")
  endpoints+=("http://127.0.0.1:$otlp")
done

"$OTEL_PY" "$conf/send_spans.py" --endpoint "$(IFS=,; echo "${endpoints[*]}")" --protocol otlp --traces 600 \
  --error-ratios "auth-service=0,user-service=0.1,catalog-service=0.4" --seed 21 --truth "$work/truth.json" >/dev/null

# Polls Prometheus (up to 60 s) until every sum equals the truth, then prints the verdicts.
python3 - "$PROM_PORT" "$work/truth.json" <<'PY'
import json, sys, time, urllib.parse, urllib.request
port, truth = sys.argv[1], json.load(open(sys.argv[2]))["services"]
def query(q):
    url = "http://127.0.0.1:%s/api/v1/query?query=%s" % (port, urllib.parse.quote(q))
    return json.load(urllib.request.urlopen(url, timeout=5))["data"]["result"]
def by_service(q):
    return {r["metric"].get("service_name", ""): float(r["value"][1]) for r in query(q)}
want_calls = {s: float(t["spans"]) for s, t in truth.items()}
want_errors = {s: float(t["errors"]) for s, t in truth.items() if t["errors"]}
# errors_total counts failed requests by HTTP status, 4xx included; the gateway answers each
# request with its downstream's status (compare_truth.py's error_rate rule).
by_status = {s: float(sum(t["errors_by_status"].values())) for s, t in truth.items()}
want_failed = {s: n for s, n in by_status.items() if n and s != "api-gateway"}
want_failed["api-gateway"] = sum(want_failed.values())
checks = {}
for _ in range(120):
    calls = by_service("sum by (service_name) (traces_span_metrics_calls_total)")
    errors = by_service('sum by (service_name) (traces_span_metrics_calls_total{status_code="STATUS_CODE_ERROR"})')
    total = query("sum(traces_span_metrics_calls_total)")
    total = float(total[0]["value"][1]) if total else 0.0
    instances = query("count by (instance) (traces_span_metrics_calls_total)")
    aggregated = {r["metric"].get("service", ""): float(r["value"][1]) for r in query("sum by (service) (errors_total)")}
    dropped = query("sum(pipeline_remote_write_requests_dropped_total)")
    dropped = float(dropped[0]["value"][1]) if dropped else -1.0
    checks = {
        "calls per service": (calls, want_calls),
        "errors per service": (errors, want_errors),
        "calls in total": (total, sum(want_calls.values())),
        "distinct instance labels": (len(instances), 3),
        "errors_total (errors processor) per service": (aggregated, want_failed),
        "remote-write requests dropped": (dropped, 0.0),
    }
    if all(got == want for got, want in checks.values()):
        break
    time.sleep(0.5)
failed = False
for name, (got, want) in checks.items():
    ok = got == want
    failed |= not ok
    print("%s: %s (got %s, want %s)" % ("PASS" if ok else "FAIL", name, got, want))
labels = query('traces_span_metrics_calls_total{service_name="api-gateway"}')
ok = bool(labels) and all(r["metric"].get("job") == "gateway" and r["metric"].get("cluster") == "interop" for r in labels)
failed |= not ok
print("%s: every series carries job=gateway and the external label cluster=interop" % ("PASS" if ok else "FAIL"))
sys.exit(1 if failed else 0)
PY

# promtool lints what Prometheus stored, read back through its federation endpoint. Federation
# writes samples without HELP (remote-write 1.0 metadata is not stored by this Prometheus), so
# "no help text" is expected; any other finding (a name's form, a suffix) fails.
curl -fsS -G "http://127.0.0.1:$PROM_PORT/federate" --data-urlencode 'match[]={job="gateway"}' >"$work/federated.txt"
names=$(grep -v '^#' "$work/federated.txt" | sed 's/[{ ].*//' | sort -u | wc -l)
promtool check metrics <"$work/federated.txt" >"$work/promtool.txt" 2>&1 || true
if grep -v ' no help text$' "$work/promtool.txt" | grep -q .; then
  cat "$work/promtool.txt"; echo "FAIL: promtool check metrics"; exit 1
fi
[ "$names" -gt 10 ] || { echo "FAIL: only $names metric names were stored"; exit 1; }
echo "PASS: promtool check metrics finds nothing but the missing HELP federation drops, over $names stored metric names"

# SIGTERM: each pipeline drains, pushes once more and exits 0.
before=$(ls "$work/bodies" | grep -c snappy || true)
for pid in "${pipeline_pids[@]}"; do stop_pipeline "$pid"; done
after=$(ls "$work/bodies" | grep -c snappy || true)
[ "$after" -gt "$before" ] || { echo "FAIL: no push at shutdown ($before bodies before SIGTERM, $after after)"; exit 1; }
echo "PASS: the three pipelines exit 0 on SIGTERM, pushing once more on the way ($before -> $after captured bodies)"

# cramjam decodes a body we sent; it holds the WriteRequest's series names.
"$OTEL_PY" - "$work/bodies" <<'PY'
import cramjam, glob, sys
files = sorted(glob.glob(sys.argv[1] + "/*.snappy"))
assert files, "FAIL: the capture receiver got no request"
for path in files:
    raw = open(path, "rb").read()
    plain = bytes(cramjam.snappy.decompress_raw(raw))
    assert b"traces_span_metrics_calls_total" in plain or b"pipeline_" in plain, path
headers = open(files[-1].replace(".snappy", ".headers")).read().lower()
for header in ["content-encoding: snappy", "content-type: application/x-protobuf", "x-prometheus-remote-write-version: 0.1.0"]:
    assert header in headers, "FAIL: missing header " + header
print("PASS: cramjam decodes all %d captured bodies (%d bytes compressed in the last); remote-write headers present" % (len(files), len(raw)))
PY
echo "PASS: remote write into Prometheus"
