"""NLU quality per language: 5-fold cross-validation and the held-out sets.

The production model is trained on all four languages at once, so the cross-validation does the same:
Rasa's ``rasa test nlu --cross-validation`` on all of nlu/ with config.yml (each fold trains on 4/5
of every language), and every test-fold prediction is then scored per language. The held-out sets
(tests/nlu_holdout/<lang>.yml, never used for training; different people, different wording) are run
through the production model models/kim.tar.gz.

Run: .venv/bin/python benchmarks/nlu_eval.py  (about 12 minutes on 2 cores)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import yaml
from _common import header, table
from sklearn.metrics import accuracy_score, f1_score

ROOT = Path(__file__).resolve().parents[1]
RASA = str(ROOT / ".venv" / "bin" / "rasa")
LANGUAGES = ("de", "uk", "ar", "en")


def _examples(path: Path) -> list[tuple[str, str]]:
    """(text, intent) pairs of a Rasa NLU YAML file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    pairs = []
    for block in data.get("nlu", []):
        for line in block["examples"].splitlines():
            if line.strip().startswith("- "):
                pairs.append((line.strip()[2:].strip(), block["intent"]))
    return pairs


def _language_of_texts(paths_by_language: dict[str, list[Path]]) -> dict[str, str]:
    return {
        text: lang for lang, paths in paths_by_language.items() for p in paths for text, _ in _examples(p)
    }


def _rasa_test(args: list[str], out: Path) -> list[dict]:
    """Run ``rasa test nlu`` and return every prediction (successes and errors)."""
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
    subprocess.run(
        [RASA, "test", "nlu", *args, "--successes", "--out", str(out)],  # errors are written by default
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    predictions = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = out / name
        if path.exists():
            predictions += json.loads(path.read_text())
    return predictions


def _scores(predictions: list[dict], language_of: dict[str, str]) -> dict[str, tuple[int, float, float, str]]:
    """Per language: n, accuracy, macro-F1, the three weakest intents."""
    by_lang: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for p in predictions:
        lang = language_of.get(p["text"])
        if lang:
            by_lang[lang].append((p["intent"], (p.get("intent_prediction") or {}).get("name") or "None"))
    result = {}
    for lang, pairs in by_lang.items():
        truth, predicted = zip(*pairs, strict=True)
        labels = sorted(set(truth))
        per_intent = f1_score(truth, predicted, labels=labels, average=None, zero_division=0)
        weakest = sorted(zip(labels, per_intent, strict=True), key=lambda x: x[1])[:3]
        result[lang] = (
            len(pairs),
            accuracy_score(truth, predicted),
            f1_score(truth, predicted, labels=labels, average="macro", zero_division=0),
            ", ".join(f"{name} {score:.2f}" for name, score in weakest),
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--model", default="models/kim.tar.gz")
    parser.add_argument("--config", default="config.yml", help="pipeline for the cross-validation")
    parser.add_argument("--skip-cv", action="store_true", help="only the held-out sets (a minute)")
    parser.add_argument("--skip-held-out", action="store_true", help="only the cross-validation")
    args = parser.parse_args()

    training_language = _language_of_texts(
        {lang: sorted((ROOT / "nlu" / lang).glob("*.yml")) for lang in LANGUAGES}
    )
    holdout_language = _language_of_texts(
        {lang: [ROOT / "tests" / "nlu_holdout" / f"{lang}.yml"] for lang in LANGUAGES}
    )
    duplicates = Counter(
        text for lang in LANGUAGES for p in (ROOT / "nlu" / lang).glob("*.yml") for text, _ in _examples(p)
    )
    ambiguous = {text for text, count in duplicates.items() if count > 1}  # same text in two languages

    with tempfile.TemporaryDirectory() as tmp:
        cv = {}
        if not args.skip_cv:
            predictions = _rasa_test(
                ["--cross-validation", "--folds", str(args.folds), "--nlu", "nlu", "--config", args.config],
                Path(tmp) / "cv",
            )
            cv = _scores([p for p in predictions if p["text"] not in ambiguous], training_language)
        held_out = {}
        if not args.skip_held_out:
            held_out = _scores(
                _rasa_test(["--nlu", "tests/nlu_holdout", "--model", args.model], Path(tmp) / "ho"),
                holdout_language,
            )

    rows = []
    for lang in LANGUAGES:
        n_cv, acc_cv, f1_cv, _ = cv.get(lang, (0, float("nan"), float("nan"), ""))
        n_ho, acc_ho, f1_ho, weakest = held_out.get(lang, (0, float("nan"), float("nan"), ""))
        rows.append(
            [lang, n_cv, f"{acc_cv:.3f}", f"{f1_cv:.3f}", n_ho, f"{acc_ho:.3f}", f"{f1_ho:.3f}", weakest]
        )
    print(header("NLU intent classification per language"))
    print(
        table(
            [
                "language",
                "CV examples",
                f"{args.folds}-fold CV accuracy",
                f"{args.folds}-fold CV macro-F1",
                "held-out examples",
                "held-out accuracy",
                "held-out macro-F1",
                "weakest intents (held-out F1)",
            ],
            rows,
        )
    )
    print(
        f"\nCV: {args.folds} folds over all of nlu/ (the four-language model, {args.config}), "
        "test-fold predictions scored per language. "
        "Held-out: tests/nlu_holdout/<lang>.yml through the production model."
    )


if __name__ == "__main__":
    main()
