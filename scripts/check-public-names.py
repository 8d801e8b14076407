#!/usr/bin/env python3
"""Fails when a public top-level type of ours shares its name with one in
swift-distributed-tracing, swift-metrics or another of our modules, since every user
would then have to qualify it with the module's name.

usage: scripts/check-public-names.py [CHECKOUTS]   (default .build/checkouts)
"""
import collections
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECKOUTS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "checkouts")
DECLARATION = re.compile(
    r"^(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:final|indirect|nonisolated)\s+)*(?:public|open)\s+"
    r"(?:(?:final|indirect)\s+)*(?:struct|class|enum|protocol|typealias|actor)\s+(\w+)", re.M)
PEERS = {"swift-distributed-tracing": "Sources", "swift-metrics": "Sources"}


def declarations(folder):
    """Top-level public type names by module (each module a folder under `folder`)."""
    found = collections.defaultdict(set)
    for module in sorted(os.listdir(folder)):
        for path, _, files in os.walk(os.path.join(folder, module)):
            if "Generated" in os.path.relpath(path, folder).split(os.sep):
                continue
            for name in files:
                if name.endswith(".swift"):
                    text = open(os.path.join(path, name), encoding="utf-8").read()
                    found[module].update(DECLARATION.findall(text))
    return found


def main():
    ours = declarations(os.path.join(ROOT, "Sources"))
    theirs = {}
    for package, sources in PEERS.items():
        folder = os.path.join(CHECKOUTS, package, sources)
        if not os.path.isdir(folder):
            sys.exit(f"check-public-names: no {folder}; run `swift package resolve` first")
        theirs.update(declarations(folder))
    owners = collections.defaultdict(list)
    for module, names in list(ours.items()) + list(theirs.items()):
        for name in names:
            owners[name].append(module)
    clashes = {name: modules for name, modules in owners.items()
               if len(modules) > 1 and any(module in ours for module in modules)}
    for name, modules in sorted(clashes.items()):
        print(f"{name}: public in {', '.join(sorted(modules))}")
    checked = sum(len(names) for names in ours.values())
    print(f"check-public-names: {checked} public types in {len(ours)} modules, {len(clashes)} shared names")
    sys.exit(1 if clashes else 0)


if __name__ == "__main__":
    main()
