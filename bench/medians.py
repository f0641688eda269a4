#!/usr/bin/env python3
"""Prints the median time of every benchmark named in the saved output of a criterion run.

Usage: python3 bench/medians.py LOG

LOG is what `cargo bench -p attester-bench -- ...` printed. The medians are read from
criterion's `criterion/<group>/<function>/new/estimates.json` under the target directory
(CARGO_TARGET_DIR, else `target` beside this folder), so run this right after the run that
wrote LOG.
"""

import json
import os
import re
import sys

# criterion writes each id part to a file name with these characters replaced by '_'.
UNSAFE = re.compile(r'[?"/\\*<>:|^]')


def fmt(ns: float) -> str:
    for unit, scale in (("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(here, "..", "target")
    ids = []
    with open(sys.argv[1], encoding="utf-8") as log:
        for line in log:
            m = re.match(r"Benchmarking (.+): Analyzing$", line.rstrip("\n"))
            if m and m.group(1) not in ids:
                ids.append(m.group(1))
    for bench_id in ids:
        group, _, function = bench_id.rpartition("/")
        path = os.path.join(
            target, "criterion", UNSAFE.sub("_", group), UNSAFE.sub("_", function),
            "new", "estimates.json",
        )
        with open(path, encoding="utf-8") as f:
            median = json.load(f)["median"]["point_estimate"]
        print(f"{bench_id}\t{fmt(median)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
