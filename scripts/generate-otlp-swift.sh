#!/usr/bin/env bash
# Regenerates Tests/OTLPProtobufReference/Generated/ (the messages and the TraceService gRPC
# stubs) from the OTLP descriptors of one release. The library decodes and encodes OTLP with
# hand-written code and names the Export method itself; these generated types are the
# reference its tests compare against.
#
# 1. extract-otlp-descriptors.py writes proto/opentelemetry/otlp-<release>.binpb from the
#    opentelemetry-proto wheel (skipped with --no-extract: the committed set is used);
# 2. protoc reads that descriptor set and protoc-gen-swift (swift-protobuf 1.39.0, matching
#    Package.swift) writes package-visibility Swift for the trace export request and what it uses;
# 3. protoc-gen-grpc-swift-2 (grpc-swift-protobuf 2.4.1, matching Package.swift) writes the
#    package-visibility client and server stubs of TraceService beside them.
#
# usage: scripts/generate-otlp-swift.sh [--no-extract]
#   PYTHON                 a Python with opentelemetry-proto==1.45.2 (default: $OTEL_PY, else python3)
#   PROTOC_GEN_SWIFT       path to protoc-gen-swift (default: built from a swift-protobuf 1.39.0 checkout)
#   PROTOC_GEN_GRPC_SWIFT  path to protoc-gen-grpc-swift-2 (default: built from a grpc-swift-protobuf
#                          2.4.1 checkout)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RELEASE=1.45.2
SET="$ROOT/proto/opentelemetry/otlp-$RELEASE.binpb"
OUT="$ROOT/Tests/OTLPProtobufReference/Generated"

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

if [[ -z "${PROTOC_GEN_GRPC_SWIFT:-}" ]]; then
  GRPC_SRC=/tmp/grpc-swift-protobuf-2.4.1
  if [[ ! -x "$GRPC_SRC/.build/release/protoc-gen-grpc-swift-2" ]]; then
    [[ -d "$GRPC_SRC" ]] || git clone -q "${GRPC_SWIFT_PROTOBUF_GIT:-https://github.com/grpc/grpc-swift-protobuf.git}" "$GRPC_SRC"
    git -C "$GRPC_SRC" checkout -q 2.4.1
    (cd "$GRPC_SRC" && swift build -c release --product protoc-gen-grpc-swift-2)
  fi
  PROTOC_GEN_GRPC_SWIFT="$GRPC_SRC/.build/release/protoc-gen-grpc-swift-2"
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
protoc \
  --descriptor_set_in="$SET" \
  --plugin=protoc-gen-grpc-swift-2="$PROTOC_GEN_GRPC_SWIFT" \
  --grpc-swift-2_out="$OUT" \
  --grpc-swift-2_opt=Visibility=Package \
  --grpc-swift-2_opt=Server=true \
  --grpc-swift-2_opt=Client=true \
  --grpc-swift-2_opt=FileNaming=DropPath \
  opentelemetry/proto/collector/trace/v1/trace_service.proto
echo "generated $(ls "$OUT" | wc -l) files in $OUT"
