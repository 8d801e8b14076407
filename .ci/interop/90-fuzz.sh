#!/usr/bin/env bash
# A short fuzzing pass: every decoder of untrusted input for 60 s under libFuzzer and
# AddressSanitizer, from the committed seed corpora; any crash, leak or timeout fails.
# Longer runs: scripts/fuzz.sh SECONDS (Fuzz/README.md).
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
bash "$ROOT/scripts/fuzz.sh" 60
