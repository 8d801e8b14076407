#!/usr/bin/env bash
# Builds telemetry-fuzz with libFuzzer and AddressSanitizer, then fuzzes each target for
# SECONDS_PER_TARGET (default 60) from its seed corpus in Fuzz/Corpus/<target>. Prints
# executions and coverage per target; fails on any crash, leak, timeout or memory blow-up,
# leaving the input that caused it under the work folder's artifacts/<target>/.
#
# usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default: every target)
# FUZZ_BUILD_PATH (.build/fuzz), FUZZ_WORK (<build path>/runs), FUZZ_RSS_LIMIT_MB (2048),
# FUZZ_TIMEOUT (10 s for one input), FUZZ_JOBS (targets run side by side, default 1),
# FUZZ_BUILD=0 (fuzz the binary already built, as when resuming a long run),
# FUZZ_EXTRA (more libFuzzer flags) and FUZZ_CONFIGURATION (release; a debug build with
# -sanitize=fuzzer does not link) adjust a run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PER_TARGET=${1:-60}
shift || true
BUILD=${FUZZ_BUILD_PATH:-$ROOT/.build/fuzz}
WORK=${FUZZ_WORK:-$BUILD/runs}
RSS_LIMIT_MB=${FUZZ_RSS_LIMIT_MB:-2048}
CONFIGURATION=${FUZZ_CONFIGURATION:-release}
TIMEOUT=${FUZZ_TIMEOUT:-10}
read -r -a EXTRA <<< "${FUZZ_EXTRA:-}"

# SwiftPM names the executable's entry `telemetry_fuzz_main` and aliases `main` to it, which
# gold refuses next to libFuzzer's own `main`; lld takes the alias, and the entry starts
# libFuzzer through LLVMFuzzerRunDriver.
mkdir -p "$BUILD"
LLD="$(dirname "$(readlink -f "$(command -v swiftc)")")/ld.lld"
[[ -x "$LLD" ]] || { echo "fuzz.sh: no ld.lld next to swiftc ($LLD)"; exit 1; }
printf '{"schemaVersion": "1.0", "linker": {"path": "%s"}}\n' "$LLD" > "$BUILD/lld-toolset.json"
build_started=$SECONDS
if [[ ${FUZZ_BUILD:-1} == 0 ]]; then
  echo "== using the telemetry-fuzz already built in $BUILD (FUZZ_BUILD=0)"
else
echo "== building telemetry-fuzz ($CONFIGURATION) with -sanitize=fuzzer,address in $BUILD"
(cd "$ROOT" && swift build -c "$CONFIGURATION" --product telemetry-fuzz --build-path "$BUILD" --toolset "$BUILD/lld-toolset.json" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DTELEMETRY_FUZZING 2>&1 \
  | grep -vE '^\[[0-9]+/[0-9]+\] |^warning: Cannot export|ld.gold: warning' || true)
fi
BINARY="$BUILD/$CONFIGURATION/telemetry-fuzz"
[[ -x "$BINARY" ]] || { echo "fuzz.sh: no $BINARY (FUZZ_BUILD=${FUZZ_BUILD:-1})"; exit 1; }
[[ ${FUZZ_BUILD:-1} == 0 ]] || echo "-- built in $(( SECONDS - build_started ))s"

targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then mapfile -t targets < <("$BINARY" --list | cut -f1); fi

# fuzz_target TARGET: one libFuzzer run; prints its log's findings and writes its summary line
# to $WORK/<target>.summary; fails when the run found anything or did not finish.
fuzz_target() {
  local target=$1
  local corpus="$WORK/corpus/$target" artifacts="$WORK/artifacts/$target" log="$WORK/$target.log"
  local seeds="$ROOT/Fuzz/Corpus/$target"
  mkdir -p "$corpus" "$artifacts" "$seeds"
  echo "== fuzzing $target for ${PER_TARGET}s"
  local started=$SECONDS status=0
  # New inputs go to the first directory; the committed seeds are only read.
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} "$BINARY" "$target" "$corpus" "$seeds" \
    -max_total_time="$PER_TARGET" -rss_limit_mb="$RSS_LIMIT_MB" -timeout="$TIMEOUT" \
    -artifact_prefix="$artifacts/" -print_final_stats=1 "${EXTRA[@]}" > "$log" 2>&1 || status=$?
  local elapsed=$(( SECONDS - started ))
  local done_line executions cov ft findings result=ok
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<< "$done_line")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<< "$done_line")
  findings=$(find "$artifacts" -type f | wc -l)
  if [[ $status -ne 0 || $findings -gt 0 || -z "$done_line" ]]; then
    result="FAILED (exit $status, $findings artifacts in $artifacts)"
    grep -E 'ERROR: |SUMMARY: |Test unit written|==[0-9]+==' "$log" | head -20 || true
  fi
  local line="$target: ${executions:-?} executions, cov: ${cov:-?} ft: ${ft:-?}, ${elapsed}s, corpus $(find "$corpus" -type f | wc -l) inputs: $result"
  echo "-- $line"
  echo "$line" > "$WORK/$target.summary"
  [[ $result == ok ]]
}

# FUZZ_JOBS targets run side by side (default 1); each libFuzzer process uses one core.
jobs_at_once=${FUZZ_JOBS:-1}
mkdir -p "$WORK"
failed=0
running=0
for target in "${targets[@]}"; do
  rm -f "$WORK/$target.summary"
  if (( running >= jobs_at_once )); then
    wait -n || failed=1
    running=$(( running - 1 ))
  fi
  fuzz_target "$target" &
  running=$(( running + 1 ))
done
while (( running > 0 )); do
  wait -n || failed=1
  running=$(( running - 1 ))
done

echo "== fuzz summary (${PER_TARGET}s per target, $jobs_at_once at a time; logs in $WORK)"
total=0
for target in "${targets[@]}"; do
  if [[ -f "$WORK/$target.summary" ]]; then
    cat "$WORK/$target.summary"
    executions=$(sed -nE 's/^[^:]+: ([0-9]+) executions.*/\1/p' "$WORK/$target.summary")
    total=$(( total + ${executions:-0} ))
  else
    echo "$target: no result"; failed=1
  fi
done
echo "executions in all: $total"
exit "$failed"
