"""Translation quality per direction: chrF and BLEU on the project's own reviewed answer texts.

NEEDS THE REAL MODELS. Run it where ``python -m bot models fetch`` has installed them (a server,
or a connected machine); without them it says so and exits with status 2:

    .venv/bin/python -m bot models verify
    .venv/bin/python benchmarks/translation_quality.py                  # all six directions
    .venv/bin/python benchmarks/translation_quality.py --direction de-uk

The parallel set: translations/<lang>/<topic>.yml holds the same answer keys in de, uk, ar and
en, written and reviewed by people, bubble by bubble. Each bubble (``messages[i]``,
``ask_person``, ``ui.yml`` ``text``) present in both languages of a direction is one pair. The
texts go through the production engine (sentence splitting, protected terms, batching), so the
score is what users get. Also reported: how many protected spans (Duldung, Jobcenter, phone
numbers, ...) came out unchanged, and how often the markers were lost and the engine fell back
to span-by-span translation. The references are free human writing, not literal translations,
so absolute scores are lower than on FLORES; compare directions and model versions with it.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import sacrebleu
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.translation import TranslationEngine, TranslationError, TranslationSettings  # noqa: E402
from bot.translation.catalog import load_catalog  # noqa: E402
from bot.translation.manifest import ManifestError, read_manifest  # noqa: E402
from bot.translation.protect import default_protector  # noqa: E402

NEEDS_MODELS = 2


def bubbles(path: Path) -> dict[str, str]:
    """``{"<key>/<n>": text}`` for every bubble of one answer file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: dict[str, str] = {}
    for key, entry in data.items():
        if not isinstance(entry, dict):
            continue
        for n, message in enumerate(entry.get("messages") or []):
            out[f"{key}/{n}"] = str(message)
        for field in ("ask_person", "text"):
            if entry.get(field):
                out[f"{key}/{field}"] = str(entry[field])
    return out


def parallel(src: str, tgt: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for source_file in sorted((REPO / "translations" / src).glob("*.yml")):
        target_file = REPO / "translations" / tgt / source_file.name
        if not target_file.is_file():
            continue
        source, target = bubbles(source_file), bubbles(target_file)
        pairs.extend((source[k], target[k]) for k in source if k in target)
    return pairs


def missing_models(directions: list[str], models_dir: Path) -> list[str]:
    catalog = load_catalog()
    problems = []
    for direction in directions:
        try:
            installed = read_manifest(models_dir / direction).model
        except ManifestError:
            problems.append(f"{direction}: not installed in {models_dir}")
            continue
        if installed != catalog[direction].model:
            problems.append(
                f"{direction}: {installed} is installed, not the catalogue's {catalog[direction].model}"
            )
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--direction", action="append", help="e.g. de-uk (default: all six)")
    parser.add_argument(
        "--models-dir", type=Path, help="default: KIM_TRANSLATION_MODELS_DIR or models/translation"
    )
    parser.add_argument("--limit", type=int, help="at most this many pairs per direction (a quick look)")
    # Only to test this script itself against the tiny test models; the figures are then meaningless.
    parser.add_argument("--any-model", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    settings = TranslationSettings.from_env()
    if args.models_dir:
        settings = TranslationSettings(**{**settings.__dict__, "models_dir": args.models_dir})
    directions = args.direction or list(load_catalog())

    problems = missing_models(directions, settings.models_dir)
    if args.any_model:
        problems = [p for p in problems if "not installed" in p]
    if problems:
        print("This benchmark needs the real translation models; it measures nothing without them.")
        for problem in problems:
            print(f"  - {problem}")
        print("Install them on a connected machine: python -m bot models fetch (see docs/translation.md).")
        return NEEDS_MODELS

    engine = TranslationEngine(settings)
    protector = default_protector()
    print("# Translation quality on the project's answer texts (translations/)\n")
    print(f"Command: `{' '.join(['python', *sys.argv])}`  ")
    machine = f"{platform.machine()}, Python {platform.python_version()}"
    print(f"Machine: {machine}, models in {settings.models_dir}\n")
    print(
        "| direction | model | pairs | chrF | BLEU | protected spans kept | span fallbacks | s per bubble |"
    )
    print("|---|---|---|---|---|---|---|---|")
    failed = False
    for direction in directions:
        src, tgt = direction.split("-")
        pairs = parallel(src, tgt)[: args.limit]
        if not pairs:
            print(f"| {direction} | - | 0 | - | - | - | - | - |")
            continue
        before = engine.stats.span_fallbacks
        started = time.perf_counter()
        try:
            outputs = [engine.translate(source, src, tgt).text for source, _ in pairs]
        except TranslationError as exc:
            print(f"| {direction} | error: {exc} | {len(pairs)} | - | - | - | - | - |")
            failed = True
            continue
        seconds = (time.perf_counter() - started) / len(pairs)
        references = [[reference for _, reference in pairs]]
        chrf = sacrebleu.corpus_chrf(outputs, references).score
        bleu = sacrebleu.corpus_bleu(outputs, references).score
        spans = [
            (span, out)
            for (source, _), out in zip(pairs, outputs, strict=True)
            for span in protector.mask(source).spans
        ]
        kept = sum(span in out for span, out in spans)
        model = read_manifest(settings.models_dir / direction).model
        print(
            f"| {direction} | {model} | {len(pairs)} | {chrf:.1f} | {bleu:.1f} | {kept}/{len(spans)} "
            f"| {engine.stats.span_fallbacks - before} | {seconds:.2f} |"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
