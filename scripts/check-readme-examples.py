#!/usr/bin/env python3
"""Checks that every complete Swift program in the README (a ```swift block that starts with
`import`) is, to the character, a file under Examples/, which `swift build` compiles: the
quick-starts a reader copies are known to build. The DocC articles' Swift blocks must be
README blocks, so they are checked the same way."""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
readme = (root / "README.md").read_text()
programs = [block for block in re.findall(r"```swift\n(.*?)```", readme, re.S) if block.startswith("import ")]
examples = {path: path.read_text() for path in (root / "Examples").rglob("*.swift")}
missing = [program for program in programs if program not in examples.values()]
for program in missing:
    first = next(line for line in program.splitlines() if line and not line.startswith("import "))
    print(f"README program starting `{first.strip()}` is not a file under Examples/", file=sys.stderr)
readme_blocks = set(re.findall(r"```swift\n(.*?)```", readme, re.S))
articles = sorted((root / "Sources").glob("*/*.docc/*.md"))
drifted = 0
for article in articles:
    for block in re.findall(r"```swift\n(.*?)```", article.read_text(), re.S):
        if block not in readme_blocks:
            drifted += 1
            print(f"{article.relative_to(root)}: a Swift block is not the README's", file=sys.stderr)
print(f"check-readme-examples: {len(programs)} README programs, {len(programs) - len(missing)} compiled under Examples/; "
      f"{len(articles)} DocC pages, {drifted} Swift blocks not from the README")
sys.exit(1 if missing or drifted else 0)
