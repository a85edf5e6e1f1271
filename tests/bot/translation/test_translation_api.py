"""The package surface the rest of the system uses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import bot.translation
from bot.translation import TranslationSettings, back_translate, configure, translate

REPO = Path(__file__).resolve().parents[3]


def test_exported_names_are_pinned() -> None:
    assert bot.translation.__all__ == [
        "BackTranslation",
        "Translation",
        "TranslationEngine",
        "TranslationError",
        "TranslationInputTooLong",
        "TranslationSettings",
        "TranslationUnavailable",
        "back_translate",
        "configure",
        "get_engine",
        "translate",
    ]


def test_module_level_translate_uses_the_configured_engine(settings: TranslationSettings) -> None:
    configure(settings)

    assert translate("Guten Tag, ich habe eine Frage.", "de", "uk").machine_translated is True
    assert back_translate("Guten Tag.", "de", "ar").back.tgt == "de"


def test_settings_come_from_kim_translation_variables() -> None:
    env = {
        "KIM_TRANSLATION_MODELS_DIR": "/srv/kim/models",
        "KIM_TRANSLATION_MAX_CHARS": "1000",
        "KIM_TRANSLATION_THREADS": "4",
        "KIM_TRANSLATION_PIVOT_LANGUAGE": "",
    }

    settings = TranslationSettings.from_env(env)

    assert settings.models_dir == Path("/srv/kim/models")
    assert (settings.max_chars, settings.threads, settings.pivot_language) == (1000, 4, None)
    assert (settings.cache_size, settings.compute_type) == (512, "int8")


def test_invalid_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="max_chars"):
        TranslationSettings(max_chars=0)


def test_importing_the_package_loads_no_model_runtime() -> None:
    code = "import sys, bot.translation; print(sorted({'ctranslate2', 'sentencepiece'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)

    assert out.stdout.strip() == "[]"


def run_quality(*args: str) -> subprocess.CompletedProcess[str]:
    script = REPO / "benchmarks" / "translation_quality.py"
    return subprocess.run([sys.executable, str(script), *args], cwd=REPO, capture_output=True, text=True)


def test_quality_benchmark_refuses_to_run_without_the_real_models(models_dir: Path, tmp_path: Path) -> None:
    empty = run_quality("--models-dir", str(tmp_path))
    tiny = run_quality("--models-dir", str(models_dir), "--direction", "de-uk")

    assert empty.returncode == 2
    assert "needs the real translation models" in empty.stdout
    assert "de-uk: not installed" in empty.stdout
    assert tiny.returncode == 2
    assert "de-uk: tiny/random-weights-de-uk is installed, not the catalogue's" in tiny.stdout


def test_quality_benchmark_runs_end_to_end_on_installed_models(models_dir: Path) -> None:
    done = run_quality("--models-dir", str(models_dir), "--direction", "de-uk", "--any-model", "--limit", "3")

    assert done.returncode == 0, done.stderr
    assert "| de-uk | tiny/random-weights-de-uk | 3 |" in done.stdout
