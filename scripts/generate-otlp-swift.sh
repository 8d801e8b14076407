#!/usr/bin/env bash
# Regenerates Sources/OTLPExporter/Generated/ from the OTLP descriptors of one release.
#
# 1. extract-otlp-descriptors.py writes proto/opentelemetry/otlp-<release>.binpb from the
#    opentelemetry-proto wheel (skipped with --no-extract: the committed set is used);
# 2. protoc reads that descriptor set and protoc-gen-swift (swift-protobuf 1.39.0, matching
#    Package.swift) writes package-visibility Swift for the trace export request and what it uses.
#
# usage: scripts/generate-otlp-swift.sh [--no-extract]
#   PYTHON           a Python with opentelemetry-proto==1.45.2 (default: $OTEL_PY, else python3)
#   PROTOC_GEN_SWIFT path to protoc-gen-swift (default: built from a swift-protobuf 1.39.0 checkout)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RELEASE=1.45.2
SET="$ROOT/proto/opentelemetry/otlp-$RELEASE.binpb"
OUT="$ROOT/Sources/OTLPExporter/Generated"

if [[ "${1:-}" != "--no-extract" ]]; then
  "${PYTHON:-${OTEL_PY:-python3}}" "$ROOT/scripts/extract-otlp-descriptors.py" "$ROOT/proto/opentelemetry"
fi

if [[ -z "${PROTOC_GEN_SWIFT:-}" ]]; then
  SRC=/tmp/swift-protobuf-1.39.0
  if [[ ! -x "$SRC/.build/release/protoc-gen-swift" ]]; then
    [[ -d "$SRC" ]] || git clone -q "${SWIFT_PROTOBUF_GIT:-https://github.com/apple/swift-protobuf.git}" "$SRC"
    git -C "$SRC" checkout -q 1.39.0
    (cd "$SRC" && swift build -c release --product protoc-gen-swift)
  fi
  PROTOC_GEN_SWIFT="$SRC/.build/release/protoc-gen-swift"
fi

rm -rf "$OUT"
mkdir -p "$OUT"
protoc \
  --descriptor_set_in="$SET" \
  --plugin=protoc-gen-swift="$PROTOC_GEN_SWIFT" \
  --swift_out="$OUT" \
  --swift_opt=Visibility=Package \
  --swift_opt=FileNaming=DropPath \
  opentelemetry/proto/common/v1/common.proto \
  opentelemetry/proto/resource/v1/resource.proto \
  opentelemetry/proto/trace/v1/trace.proto \
  opentelemetry/proto/collector/trace/v1/trace_service.proto
echo "generated $(ls "$OUT" | wc -l) files in $OUT"
