"""Speed and size of the assistant: /model/parse latency, server memory, training time.

Starts the real Rasa server (and the action server) on loopback with the trained model, sends 500
messages from the held-out sets of all four languages to /model/parse one after another (after 20
warm-up requests, not counted), reads the Rasa process's resident memory, and optionally times a
full training from scratch.

Run: .venv/bin/python benchmarks/latency.py [--train]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

import yaml
from _common import header, table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.runner import start_children, stop_children, wait_until_ready  # noqa: E402


def holdout_messages() -> list[str]:
    messages = []
    for lang in ("de", "uk", "ar", "en"):
        data = yaml.safe_load((ROOT / "tests" / "nlu_holdout" / f"{lang}.yml").read_text(encoding="utf-8"))
        for block in data["nlu"]:
            messages += [line[2:].strip() for line in block["examples"].splitlines() if line.startswith("- ")]
    return messages


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def parse(settings: Settings, text: str) -> float:
    request = urllib.request.Request(
        f"{settings.rasa_url}/model/parse?token={settings.rasa_token}",
        data=json.dumps({"text": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
    return (time.perf_counter() - start) * 1000


def time_training() -> float:
    """A full training: --force, and an empty component cache so nothing is restored."""
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        subprocess.run(
            [str(ROOT / ".venv/bin/rasa"), "train", "--data", "nlu", "stories", "--out", out, "--force"],
            cwd=ROOT,
            env={**os.environ, "RASA_CACHE_DIRECTORY": cache, "RASA_TELEMETRY_ENABLED": "false"},
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--train", action="store_true", help="also time a full training (about 3 minutes)")
    args = parser.parse_args()

    messages = holdout_messages()
    settings = Settings.from_env()
    with tempfile.TemporaryDirectory() as data_dir:
        settings = replace(
            settings,
            data_dir=Path(data_dir),
            rasa_port=5905,
            action_port=5955,
            rasa_token=secrets.token_urlsafe(16),
        )
        started = time.perf_counter()
        processes = start_children(settings)
        try:
            wait_until_ready(settings, processes)
            startup_s = time.perf_counter() - started
            for text in messages[:20]:
                parse(settings, text)
            timings = [parse(settings, messages[i % len(messages)]) for i in range(args.requests)]
            memory = rss_mb(processes["rasa"].pid)
        except RuntimeError:
            for log in sorted((Path(data_dir) / "logs").glob("*.log")):
                print(f"--- {log.name} (end)\n{log.read_text(errors='replace')[-2000:]}")
            raise
        finally:
            stop_children(processes)

    timings.sort()
    rows = [
        ["/model/parse p50", f"{statistics.median(timings):.1f} ms", "-"],
        ["/model/parse p95", f"{timings[int(0.95 * len(timings)) - 1]:.1f} ms", "< 25 ms"],
        ["/model/parse max", f"{timings[-1]:.1f} ms", "-"],
        ["Rasa server RSS after the run", f"{memory:.0f} MB", "< 1500 MB"],
        ["server start-up until /status answers", f"{startup_s:.0f} s", "-"],
    ]
    if args.train:
        rows.append(
            [
                "full training from scratch (`rasa train --force`, empty cache)",
                f"{time_training():.0f} s",
                "< 180 s",
            ]
        )
    print(header(f"Latency and size ({args.requests} sequential requests, four languages)"))
    print(table(["measure", "value", "goal"], rows))


if __name__ == "__main__":
    main()
