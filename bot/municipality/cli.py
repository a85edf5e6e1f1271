"""``python -m bot where TEXT [--lang LANG]``: print the resolution of TEXT as one JSON object."""

from __future__ import annotations

import argparse
import json
import sys

from bot.municipality.resolver import LANGUAGES, resolve


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", help='what the user wrote, e.g. "wir wohnen in schloss neuhaus"')
    parser.add_argument("--lang", choices=LANGUAGES, default=None, help="language of the message, if known")


def run(args: argparse.Namespace) -> int:
    resolution = resolve(args.text, lang=args.lang)
    sys.stdout.write(json.dumps(resolution.to_dict(), ensure_ascii=False) + "\n")
    return 0
