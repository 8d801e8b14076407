#!/usr/bin/env python3
"""Writes the OTLP schema of the installed `opentelemetry-proto` wheel as a FileDescriptorSet.

Every generated `*_pb2.py` module carries its file's serialized FileDescriptorProto. This
script imports the modules we need, collects those descriptors (dependencies first, as
protoc's --descriptor_set_in expects) and writes them to one binary descriptor set and a
text rendering for review.

usage: python extract-otlp-descriptors.py OUT_DIR   (run with a Python that has the wheel)
"""
import importlib
import os
import sys

from google.protobuf import descriptor_pb2
from google.protobuf import text_format
import opentelemetry.proto

MODULES = [
    "opentelemetry.proto.common.v1.common_pb2",
    "opentelemetry.proto.resource.v1.resource_pb2",
    "opentelemetry.proto.trace.v1.trace_pb2",
    "opentelemetry.proto.metrics.v1.metrics_pb2",
    "opentelemetry.proto.logs.v1.logs_pb2",
    "opentelemetry.proto.collector.trace.v1.trace_service_pb2",
    "opentelemetry.proto.collector.metrics.v1.metrics_service_pb2",
    "opentelemetry.proto.collector.logs.v1.logs_service_pb2",
]


def main():
    out_dir = sys.argv[1]
    from importlib.metadata import version
    release = version("opentelemetry-proto")
    files = {}
    order = []

    def add(file_descriptor):
        if file_descriptor.name in files:
            return
        for dependency in file_descriptor.dependencies:
            add(dependency)
        proto = descriptor_pb2.FileDescriptorProto()
        proto.ParseFromString(file_descriptor.serialized_pb)
        files[proto.name] = proto
        order.append(proto.name)

    for name in MODULES:
        add(importlib.import_module(name).DESCRIPTOR)

    descriptor_set = descriptor_pb2.FileDescriptorSet()
    descriptor_set.file.extend(files[name] for name in order)
    os.makedirs(out_dir, exist_ok=True)
    base = os.path.join(out_dir, f"otlp-{release}")
    with open(base + ".binpb", "wb") as f:
        f.write(descriptor_set.SerializeToString(deterministic=True))
    with open(base + ".txtpb", "w") as f:
        f.write(f"# FileDescriptorSet of opentelemetry-proto {release}, extracted from the wheel's *_pb2.py\n")
        f.write(text_format.MessageToString(descriptor_set))
    print(base + ".binpb")
    for name in order:
        print("  " + name)


if __name__ == "__main__":
    main()
