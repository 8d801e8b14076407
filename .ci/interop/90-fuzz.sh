#!/usr/bin/env bash
# A short fuzzing pass: every decoder of untrusted input for FUZZ_SECONDS (30 s) under libFuzzer
# and AddressSanitizer, from the committed seed corpora; any crash, leak or timeout fails.
# A debug build: a sanitized release build of the whole graph would take most of CI's time
# budget on a 2-core machine. Longer runs: scripts/fuzz.sh SECONDS (Fuzz/README.md).
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
FUZZ_CONFIGURATION=${FUZZ_CONFIGURATION:-debug} bash "$ROOT/scripts/fuzz.sh" "${FUZZ_SECONDS:-30}"
