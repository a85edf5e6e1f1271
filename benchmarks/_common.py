"""Shared bits of the benchmark scripts: machine description and Markdown tables."""

from __future__ import annotations

import os
import platform
import shlex
import sys


def machine() -> str:
    return f"{os.cpu_count()} CPU cores, {platform.machine()}, Python {platform.python_version()}"


def command_line() -> str:
    return " ".join(shlex.quote(a) for a in [".venv/bin/python", *sys.argv])


def table(headers: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def header(title: str) -> str:
    return f"## {title}\n\nCommand: `{command_line()}`  \nMachine: {machine()}\n"
