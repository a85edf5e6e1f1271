"""``python -m bot content check|show``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.content.check import check_content
from bot.content.reply import topic_replies
from bot.content.store import DEFAULT_ROOT, load_store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    check = sub.add_parser("check", help="check every answer in every language; exit 1 on a problem")
    check.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="translations folder")
    show = sub.add_parser("show", help="print what the assistant answers for an intent")
    show.add_argument("intent")
    show.add_argument("--lang", default="de", choices=["de", "uk", "ar", "en"])
    show.add_argument("--option", help="e.g. duldung for ask_work_permission")


def run(args: argparse.Namespace) -> int:
    if args.action == "check":
        problems = check_content(args.root)
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"content check: {len(problems)} problem(s) in {args.root}")
        return 1 if problems else 0
    for reply in topic_replies(load_store(), args.intent, args.lang, option=args.option):
        print(reply.text)
        for button in reply.buttons:
            print(f"  [{button.title}] -> {button.payload}")
        print("---")
    return 0
