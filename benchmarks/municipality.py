"""Accuracy and speed of the municipality resolver (bot.municipality.resolve).

    .venv/bin/python benchmarks/municipality.py --repeat 50

Accuracy: every case of tests/data/municipality_cases.yml counts as exact when the whole result
(municipality, district, postal code, span, confidence, candidates, outside) equals the expected
one; "municipality" counts cases whose municipality, candidates and outside are right.
Latency: wall time of one resolve() call (time.perf_counter_ns), over all cases repeated N
times. The index build (first call) and one warm-up pass are excluded and reported apart.
Prints Markdown tables. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import rapidfuzz
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.municipality import resolve  # noqa: E402
from bot.municipality.gazetteer import load_index  # noqa: E402
from bot.municipality.normalise import tokenize  # noqa: E402

DEFAULT_CASES = REPO / "tests" / "data" / "municipality_cases.yml"


def _percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def _length_class(text: str) -> str:
    words = len(tokenize(text))
    return "word (1 token)" if words <= 1 else "short (2-4)" if words <= 4 else "sentence (5+)"


def accuracy_table(cases: list[dict]) -> list[str]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    misses = []
    for case in cases:
        got = resolve(case["text"], case.get("lang")).to_dict()
        want = case["expect"]
        same_place = all(got[k] == want[k] for k in ("municipality", "candidates", "outside"))
        for key in (case["category"], "**all**"):
            totals[key][0] += 1
            totals[key][1] += got == want
            totals[key][2] += same_place
        if got != want:
            misses.append(f"- `{case['text'][:60]}`: got {got}, want {want}")
    lines = ["| category | n | exact | exact accuracy | municipality right |", "|---|---:|---:|---:|---:|"]
    for category in sorted(totals, key=lambda c: (c == "**all**", c)):
        n, exact, place = totals[category]
        lines.append(f"| {category} | {n} | {exact} | {100 * exact / n:.1f} % | {100 * place / n:.1f} % |")
    return lines + (["", "Misses:", *misses] if misses else [])


def latency_tables(cases: list[dict], repeat: int) -> list[str]:
    inputs = [(case["text"], case.get("lang")) for case in cases]
    for text, lang in inputs:  # warm-up pass, not counted
        resolve(text, lang)
    samples: dict[str, list[float]] = defaultdict(list)
    for _ in range(repeat):
        for text, lang in inputs:
            start = time.perf_counter_ns()
            resolve(text, lang)
            elapsed = (time.perf_counter_ns() - start) / 1e6
            samples["**all**"].append(elapsed)
            samples[_length_class(text)].append(elapsed)
    lines = ["| input | calls | median ms | p95 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|"]
    for name in ("word (1 token)", "short (2-4)", "sentence (5+)", "**all**"):
        values = sorted(samples[name])
        if values:
            median, p95, p99 = statistics.median(values), _percentile(values, 0.95), _percentile(values, 0.99)
            lines.append(
                f"| {name} | {len(values)} | {median:.3f} | {p95:.3f} | {p99:.3f} | {values[-1]:.3f} |"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES, help="YAML case file")
    parser.add_argument("--repeat", type=int, default=50, help="times each case is resolved for latency")
    args = parser.parse_args(argv)
    cases = yaml.safe_load(args.cases.read_text(encoding="utf-8"))

    start = time.perf_counter()
    load_index()
    build_ms = (time.perf_counter() - start) * 1e3

    command = " ".join(
        ["python", "benchmarks/municipality.py", *(argv if argv is not None else sys.argv[1:])]
    )
    print("# Municipality resolver benchmark\n")
    print(f"Command: `{command}`  ")
    print(
        f"Machine: {os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()} "
        f"({platform.python_implementation()}), rapidfuzz {rapidfuzz.__version__}, {platform.system()}  "
    )
    source = args.cases.relative_to(REPO) if args.cases.is_relative_to(REPO) else args.cases
    print(f"Cases: {len(cases)} from `{source}`  ")
    print(f"Index build (excluded from latency): {build_ms:.1f} ms\n")
    print("## Accuracy by category\n")
    print("\n".join(accuracy_table(cases)))
    print(f"\n## Latency per message ({args.repeat} repetitions, after one warm-up pass)\n")
    print("\n".join(latency_tables(cases, args.repeat)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
