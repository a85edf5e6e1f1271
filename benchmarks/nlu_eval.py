"""NLU quality per language: 5-fold cross-validation on nlu/<lang>, and the held-out sets.

Cross-validation trains a model on 4/5 of one language's examples and tests on the rest (Rasa's own
``rasa test nlu --cross-validation``), with the project's config.yml. The held-out sets
(tests/nlu_holdout/<lang>.yml, never used for training) are run through the production model
models/kim.tar.gz, which is trained on all four languages together.

Run: .venv/bin/python benchmarks/nlu_eval.py  (about 15 minutes on 2 cores)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
from pathlib import Path

from _common import header, table

ROOT = Path(__file__).resolve().parents[1]
RASA = str(ROOT / ".venv" / "bin" / "rasa")
LANGUAGES = ("de", "uk", "ar", "en")


def _rasa_test(args: list[str], out: Path) -> dict:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
    subprocess.run(
        [RASA, "test", "nlu", *args, "--out", str(out)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return json.loads((out / "intent_report.json").read_text())


def _summary(report: dict) -> tuple[float, float, list[str]]:
    per_intent = {
        k: v for k, v in report.items() if isinstance(v, dict) and "f1-score" in v and " avg" not in k
    }
    worst = sorted(per_intent.items(), key=lambda kv: kv[1]["f1-score"])[:3]
    return (
        report["accuracy"],
        report["macro avg"]["f1-score"],
        [f"{name} {values['f1-score']:.2f}" for name, values in worst],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--languages", nargs="+", default=list(LANGUAGES))
    parser.add_argument("--model", default="models/kim.tar.gz")
    parser.add_argument("--skip-cv", action="store_true", help="only the held-out sets")
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for lang in args.languages:
            row: list[object] = [lang]
            if args.skip_cv:
                row += ["-", "-"]
            else:
                cv = _rasa_test(
                    [
                        "--cross-validation",
                        "--folds",
                        str(args.folds),
                        "--nlu",
                        f"nlu/{lang}",
                        "--config",
                        "config.yml",
                    ],
                    Path(tmp) / f"cv_{lang}",
                )
                accuracy, macro_f1, _ = _summary(cv)
                row += [f"{accuracy:.3f}", f"{macro_f1:.3f}"]
            held_out = _rasa_test(
                ["--nlu", f"tests/nlu_holdout/{lang}.yml", "--model", args.model], Path(tmp) / f"ho_{lang}"
            )
            accuracy, macro_f1, worst = _summary(held_out)
            row += [f"{accuracy:.3f}", f"{macro_f1:.3f}", ", ".join(worst)]
            rows.append(row)
            print(f"{lang} done", flush=True)

    print(header("NLU intent classification per language"))
    print(
        table(
            [
                "language",
                f"{args.folds}-fold CV accuracy",
                f"{args.folds}-fold CV macro-F1",
                "held-out accuracy",
                "held-out macro-F1",
                "weakest intents (held-out F1)",
            ],
            rows,
        )
    )
    print(
        "\nCV: one language's nlu/<lang> data, config.yml. Held-out: tests/nlu_holdout/<lang>.yml "
        "(8 messages per intent, never trained on) through the four-language production model."
    )


if __name__ == "__main__":
    main()
