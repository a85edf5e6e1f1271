"""Command line: ``python -m bot <command> ...``.

Each part of the system owns its subcommand in a module with two functions,
``add_arguments(parser)`` and ``run(args) -> int``; this file only lists them, so parts
do not edit each other's code.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# command -> (module, help). Modules are imported lazily: `python -m bot where` must not load Rasa.
COMMANDS: dict[str, tuple[str, str]] = {
    "content": ("bot.content.cli", "check or show the answer texts in translations/"),
    "where": ("bot.municipality.cli", "resolve a place name, district or postal code to a municipality"),
    "models": ("bot.translation.cli", "fetch, convert and verify the local translation models"),
    "run": ("bot.runner", "start Rasa, the action server and the local web chat"),
    "db": ("bot.handoff.cli", "create or migrate the handoff database (cases, inbox)"),
    "cases": ("bot.handoff.cli", "delete cases past the retention period (daily), or count cases per state"),
    "inbox": ("bot.inbox.cli", "manage the logins of the case managers' inbox"),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Build the parser; only the chosen command's module is imported."""
    parser = argparse.ArgumentParser(prog="python -m bot", description="KIM assistant of Kreis Paderborn")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        command_parser.set_defaults(_module=module_name)
        if name == command:
            _load(module_name).add_arguments(command_parser)
    return parser


def _load(module_name: str):  # type: ignore[no-untyped-def]
    return importlib.import_module(module_name)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command = next((a for a in argv if not a.startswith("-")), None)
    args = build_parser(command).parse_args(argv)
    return int(_load(args._module).run(args))


if __name__ == "__main__":
    sys.exit(main())
