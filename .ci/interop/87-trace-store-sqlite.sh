#!/usr/bin/env bash
# The tracestore exporter with `storage: sqlite`: traces the official OpenTelemetry Python SDK
# sent over OTLP/HTTP survive a pipeline restart (services, operations, every trace by ID,
# searches, dependencies, answered alike before and after), retention deletes them once they
# are older than it, and a file that is not a database or a path that cannot be written stops
# the pipeline with a message naming it.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
: "${BIN:?release bin path}" "${SHARED:?shared folder}" "${OTEL_PY:?}"
conf="$SHARED/conformance"
work="$(mktemp -d)"
pids=()
cleanup() { stop_pids; }
trap cleanup EXIT

OTLP_PORT=$(free_port); MON_PORT=$(free_port)
write_config() {  # write_config NAME PATH RETENTION
  cat >"$work/$1.yaml" <<YAML
receivers:
  otlp: {protocols: {http: {endpoint: "127.0.0.1:$OTLP_PORT"}}}
processors:
  batch: {send_batch_size: 1000, timeout: 100ms}
exporters:
  tracestore: {storage: sqlite, path: "$2", retention: $3}
service:
  pipelines:
    traces: {receivers: [otlp], processors: [batch], exporters: [tracestore]}
  monitoring: {endpoint: "127.0.0.1:$MON_PORT"}
YAML
}

# Everything the query API answers about the stored traces, as one JSON document.
snapshot() { python3 - "http://127.0.0.1:$MON_PORT" "$1" "${2:-0}" <<'PY'
import json, sys, time, urllib.parse, urllib.request
base, out, expected = sys.argv[1], sys.argv[2], int(sys.argv[3])
def get(path, **params):
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())
# The batch processor flushes within 100 ms; wait, bounded, for every span the caller expects.
deadline = time.time() + 30
while expected:
    stored = sum(len(t["spans"]) for t in get("/api/traces", service="api-gateway", limit=10000)["data"])
    if stored >= expected or time.time() > deadline:
        break
    time.sleep(0.2)
services = get("/api/services")["data"]
traces = get("/api/traces", service="api-gateway", limit=10000)["data"]
ids = sorted(t["traceID"] for t in traces)
state = {
    "services": services,
    "operations": {s: get(f"/api/services/{s}/operations")["data"] for s in services},
    "search": [t["traceID"] for t in traces],
    "failed": {s: [t["traceID"] for t in get("/api/traces", service=s, tags='{"error":"true"}', limit=10000)["data"]] for s in services},
    "traces": {i: get(f"/api/traces/{i}")["data"][0] for i in ids},
    "dependencies": sorted(get("/api/dependencies", endTs=int(time.time() * 1000), lookback=3_600_000)["data"], key=lambda d: (d["parent"], d["child"])),
    "spans": sum(len(t["spans"]) for t in traces),
}
json.dump(state, open(out, "w"), sort_keys=True)
print(f"{len(ids)} traces, {state['spans']} spans, services {services}")
PY
}

# 1. Store, stop, restart: the same answers.
write_config pipeline "$work/traces.sqlite" 1h
start_pipeline pipeline "$MON_PORT"
"$OTEL_PY" "$conf/send_spans.py" --endpoint "http://127.0.0.1:$OTLP_PORT" --protocol otlp --traces 200 \
  --error-ratios "auth-service=0,user-service=0.2,catalog-service=0.5" --seed 87 --truth "$work/truth.json" >/dev/null
sent=$(truth_span_count "$work/truth.json")
snapshot "$work/before.json" "$sent"
stop_pipeline "$started_pid"
ls -l "$work"/traces.sqlite*
start_pipeline pipeline "$MON_PORT"
snapshot "$work/after.json"
python3 - "$work/before.json" "$work/after.json" "$sent" <<'PY'
import json, sys
before, after, sent = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), int(sys.argv[3])
assert before["spans"] == sent, (before["spans"], sent)
assert len(before["traces"]) == 200 and len(before["services"]) == 4, before["services"]
assert any(before["failed"].values()), before["failed"]
for key in before:
    assert before[key] == after[key], f"{key} differs after the restart"
print(f"after a restart: the same {len(after['traces'])} traces, {after['spans']} spans, searches and dependencies")
PY
stop_pipeline "$started_pid"

# 2. Retention: restarted with a 2 s retention, the same file lets every old trace go.
write_config short "$work/traces.sqlite" 2s
sleep 2
start_pipeline short "$MON_PORT"
python3 - "http://127.0.0.1:$MON_PORT" <<'PY'
import json, sys, urllib.request
base = sys.argv[1]
services = json.loads(urllib.request.urlopen(base + "/api/services", timeout=30).read())["data"]
assert services == [], services
trace = json.loads(urllib.request.urlopen(base + "/api/traces?service=api-gateway&limit=10", timeout=30).read())["data"]
assert trace == [], trace
print("retention 2s: every trace older than it deleted")
PY
stop_pipeline "$started_pid"

# 3. A file that is not a database: the pipeline refuses to start and names the file.
head -c 8192 /dev/urandom >"$work/garbage.sqlite"
write_config garbage "$work/garbage.sqlite" 1h
rc=0; "$BIN/telemetry-pipeline" --config "$work/garbage.yaml" >"$work/garbage.log" 2>&1 || rc=$?
cat "$work/garbage.log"
[ "$rc" = 1 ] || { echo "a non-database file: exit $rc, expected 1"; exit 1; }
grep -q "garbage.sqlite" "$work/garbage.log" && grep -q "not a database" "$work/garbage.log" || { echo "the message does not name the file"; exit 1; }

# 4. A path that cannot be written: a configuration error naming file, line and key.
write_config unwritable "/nonexistent-$$/traces.sqlite" 1h
rc=0; "$BIN/telemetry-pipeline" --config "$work/unwritable.yaml" --validate >"$work/unwritable.log" 2>&1 || rc=$?
cat "$work/unwritable.log"
[ "$rc" = 2 ] && grep -q "unwritable.yaml:6: invalid value for exporters.tracestore.path" "$work/unwritable.log" || { echo "unwritable path not refused"; exit 1; }
echo "trace store sqlite: survives a restart, retention deletes, bad files and paths refused"
