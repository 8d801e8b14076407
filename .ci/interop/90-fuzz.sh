#!/usr/bin/env bash
# A short fuzzing pass: every decoder of untrusted input for FUZZ_SECONDS (60 s) under libFuzzer
# and AddressSanitizer, two targets at a time (one per core), from the committed seed corpora;
# any crash, leak or timeout fails.
# A release build: a debug build with -sanitize=fuzzer does not link (libFuzzer's main finds no
# LLVMFuzzerTestOneInput). Longer runs: scripts/fuzz.sh SECONDS (Fuzz/README.md).
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
FUZZ_JOBS=${FUZZ_JOBS:-2} FUZZ_CONFIGURATION=${FUZZ_CONFIGURATION:-release} bash "$ROOT/scripts/fuzz.sh" "${FUZZ_SECONDS:-60}"
