#!/usr/bin/env python3
"""podpub's architecture check, run by `make lint` and `make test`.

Each top-level module of src/ has a layer, and a module may use only modules of lower layers
(its own submodules aside): so the module graph has no cycle, and nothing below `web` and `cli`
imports them. `web` reaches the database and the jobs through `app` only. No source file
(tests aside) is longer than MAX_LINES.

Uses are read from `crate::a` paths (in `use` lines, `use crate::{a, b}` groups and inline).

usage: python3 scripts/check-layers.py [PROJECT]   (default: the checkout this script is in)
"""
import os
import re
import sys

# Lowest first. The code map in README.md describes the same layers.
LAYERS = [
    {"domain", "config", "media"},
    {"db", "feed", "metrics", "telemetry"},
    {"import", "publish"},
    {"jobs", "edge"},
    {"app"},
    {"web"},
    {"cli"},
]
# Beyond the layering: what a module must not use even though it sits higher.
FORBIDDEN = {
    "web": {"db", "jobs", "publish", "import"},
    "edge": {"db", "jobs", "feed", "import"},
}
MAX_LINES = 400

RANK = {m: i for i, layer in enumerate(LAYERS) for m in layer}


def strip_tests(text):
    """The file without a trailing `#[cfg(test)] mod tests { ... }`."""
    m = re.search(r"^#\[cfg\(test\)\]\s*\n\s*mod\s+\w+\s*\{", text, re.M)
    return text[: m.start()] if m else text


def uses(text):
    names = set(re.findall(r"\bcrate::([a-z_][a-z0-9_]*)", text))
    for group in re.findall(r"\buse\s+crate::\{([^;]*)\}", text, re.S):
        names |= set(re.findall(r"(?:^|[,{\s])([a-z_][a-z0-9_]*)\s*(?:::|,|\}|$)", group))
    return names


def main(project):
    src = os.path.join(project, "src")
    problems = []
    for dirpath, _, files in os.walk(src):
        for f in sorted(files):
            if not f.endswith(".rs"):
                continue
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, src)
            parts = rel.split(os.sep)
            if f == "tests.rs" or "tests" in parts[:-1]:
                continue
            module = os.path.splitext(parts[0])[0]
            text = strip_tests(open(path, encoding="utf-8").read())
            lines = text.count("\n")
            if lines > MAX_LINES:
                problems.append(f"src/{rel}: {lines} lines, more than {MAX_LINES}")
            if module in ("lib", "main"):
                continue
            if module not in RANK:
                problems.append(f"src/{rel}: module {module!r} has no layer in {__file__}")
                continue
            for used in sorted(uses(text)):
                if used == module or used not in RANK:
                    continue
                if RANK[used] >= RANK[module]:
                    problems.append(f"src/{rel}: {module} uses {used}, which is not below it")
                elif used in FORBIDDEN.get(module, ()):
                    problems.append(f"src/{rel}: {module} must not use {used} directly")
    for p in problems:
        print(f"check-layers: {p}", file=sys.stderr)
    if problems:
        print(f"check-layers: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print("check-layers: the layers run one way; no file is too long")
    return 0


if __name__ == "__main__":
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else here))
