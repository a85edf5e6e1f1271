"""The engine on a real (tiny, random-weight) Marian model converted by the production fetch code.

Outputs of random weights are nonsense; these tests check what the plumbing guarantees whatever
the model writes: protected spans, layout, batching, limits, errors, lazy loading.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

import bot.translation.engine as engine_module
from bot.translation import (
    TranslationEngine,
    TranslationError,
    TranslationInputTooLong,
    TranslationSettings,
    TranslationUnavailable,
)
from bot.translation.runtime import LoadedModel
from tests.bot.translation.tiny_marian import TINY, install

GERMAN = (
    "Bitte bringen Sie Ihre Duldung und die Aufenthaltsgestattung am 12.03.2026 um 9:30 zur "
    "Ausländerbehörde in {municipality}. Das Jobcenter erreichen Sie unter 05251 308-0 oder "
    "kim@kreis-paderborn.de, Infos: https://www.kreis-paderborn.de/kim. Die Kita ist ab 8 Uhr offen."
)
PROTECTED = [
    "Duldung",
    "Aufenthaltsgestattung",
    "12.03.2026",
    "9:30",
    "Ausländerbehörde",
    "{municipality}",
    "Jobcenter",
    "05251 308-0",
    "kim@kreis-paderborn.de",
    "https://www.kreis-paderborn.de/kim",
    "Kita",
]


def test_a_model_translation_is_flagged_as_machine_translated(engine: TranslationEngine) -> None:
    result = engine.translate("Wo finde ich eine Wohnung?", "de", "uk")

    assert result.machine_translated is True
    assert result.models == (f"{TINY}-de-uk",)
    assert (result.src, result.tgt, result.skipped) == ("de", "uk", None)
    assert result.text
    assert result.text != "Wo finde ich eine Wohnung?"


def test_protected_terms_and_contacts_come_out_unchanged(engine: TranslationEngine) -> None:
    result = engine.translate(GERMAN, "de", "uk")

    for span in PROTECTED:
        assert span in result.text, span
    # Random weights do not copy the [n] markers: sentences took the span-by-span path.
    assert engine.stats.span_fallbacks >= 1


def test_german_terms_inside_ukrainian_text_survive_uk_to_de(engine: TranslationEngine) -> None:
    text = "Мені потрібна Duldung. Де знаходиться Ausländerbehörde? Телефон: +49 5251 308-0."

    result = engine.translate(text, "uk", "de")

    for span in ("Duldung", "Ausländerbehörde", "+49 5251 308-0"):
        assert span in result.text


def test_a_long_message_is_split_into_sentences_sent_in_one_batch(engine: TranslationEngine) -> None:
    sentences = [
        f"Satz Nummer {word} ist hier." for word in "eins zwei drei vier fünf sechs sieben acht".split()
    ]

    engine.translate(" ".join(sentences), "de", "uk")

    assert engine.stats.model_batches == 1
    assert engine.stats.model_sentences == len(sentences)


def test_messages_translated_together_share_one_batch(engine: TranslationEngine) -> None:
    results = engine.translate_many(["Guten Tag.", "Wo ist das Amt?", "Danke schön."], "de", "ar")

    assert [r.machine_translated for r in results] == [True, True, True]
    assert engine.stats.model_batches == 1
    assert engine.stats.model_sentences == 3


def test_line_breaks_and_bullets_are_kept(engine: TranslationEngine) -> None:
    text = "Mit einer Duldung gilt:\n• Sie dürfen hier wohnen.\n• Fragen Sie die Behörde.\n\nDanke."

    result = engine.translate(text, "de", "uk")

    assert result.text.count("\n") == text.count("\n")
    assert [line[:2] for line in result.text.split("\n")][1:3] == ["• ", "• "]


def test_input_over_the_limit_raises_before_any_model_work(models_dir: Path) -> None:
    engine = TranslationEngine(TranslationSettings(models_dir=models_dir, max_chars=40))

    with pytest.raises(TranslationInputTooLong) as caught:
        engine.translate("x" * 41, "uk", "de")

    assert (caught.value.length, caught.value.limit) == (41, 40)
    assert (
        caught.value.user_message("uk") == "Повідомлення задовге для перекладу – показано оригінальний текст."
    )
    assert engine.loaded() == []
    assert engine.stats.model_batches == 0


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("12345", "no_words"),
        ("0176 1234567", "no_words"),
        ("😀😀😀", "no_words"),
        ("🙏", "no_words"),
        ("?!", "no_words"),
        ("hilfe hilfe hilfe hilfe hilfe", "repetition"),
        ("Допоможіть! Допоможіть! Допоможіть!", "repetition"),
        ("хахахахахаха", "repetition"),
    ],
)
def test_inputs_models_hallucinate_on_return_unchanged_without_the_model(
    engine: TranslationEngine, text: str, reason: str
) -> None:
    result = engine.translate(text, "uk", "de")

    assert result.text == text
    assert result.machine_translated is False
    assert result.skipped == reason
    assert engine.loaded() == []  # the model was not even loaded


def test_sentences_without_words_inside_a_message_are_kept_verbatim(engine: TranslationEngine) -> None:
    result = engine.translate("Rufen Sie mich an.\n0176 1234567\n👍", "de", "uk")

    assert result.text.endswith("\n0176 1234567\n👍")
    assert engine.stats.model_sentences == 1


def test_a_missing_direction_raises_unavailable_with_a_message_to_show(engine: TranslationEngine) -> None:
    with pytest.raises(TranslationUnavailable) as caught:
        engine.translate("Hello, where is the office?", "en", "de")

    assert (caught.value.src, caught.value.tgt) == ("en", "de")
    assert caught.value.user_message("de") == "Übersetzung nicht verfügbar – der Originaltext wird angezeigt."
    assert caught.value.user_message("ar") == "الترجمة غير متاحة – يُعرض النص الأصلي."
    assert isinstance(caught.value, TranslationError)
    assert engine.is_available("en", "de") is False


def test_an_unknown_language_is_unavailable_not_a_crash(engine: TranslationEngine) -> None:
    with pytest.raises(TranslationUnavailable, match="'fr' is not supported"):
        engine.translate("Bonjour", "fr", "de")


def test_same_language_returns_the_text_not_flagged(engine: TranslationEngine) -> None:
    result = engine.translate("Guten Tag", "de", "de")

    assert (result.text, result.machine_translated, result.skipped) == ("Guten Tag", False, "same_language")


def test_a_damaged_model_folder_is_unavailable_not_a_crash(models_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(models_dir / "de-uk", tmp_path / "de-uk")
    with (tmp_path / "de-uk" / "model.bin").open("r+b") as model:
        model.truncate(100)
    engine = TranslationEngine(TranslationSettings(models_dir=tmp_path))

    with pytest.raises(TranslationUnavailable, match=r"model\.bin has 100 bytes"):
        engine.translate("Guten Tag.", "de", "uk")


def test_a_model_failure_becomes_a_translation_error(
    engine: TranslationEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> list[str]:
        raise RuntimeError("out of memory")

    monkeypatch.setattr(LoadedModel, "translate", fail)

    with pytest.raises(TranslationError, match="de-uk failed: out of memory"):
        engine.translate("Guten Tag.", "de", "uk")


def test_repeated_sentences_come_from_the_cache(engine: TranslationEngine) -> None:
    first = engine.translate("Wo ist das Rathaus bitte?", "de", "uk")
    second = engine.translate("Wo ist das Rathaus bitte?", "de", "uk")

    assert second == first
    assert engine.stats.model_batches == 1
    assert engine.stats.cache_hits == 1


def test_each_direction_loads_once_on_first_use_even_from_many_threads(
    engine: TranslationEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[Path] = []

    class CountingModel(LoadedModel):
        def __init__(self, folder: Path, **kwargs: object) -> None:
            loads.append(folder)
            super().__init__(folder, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine_module, "LoadedModel", CountingModel)
    assert engine.loaded() == []
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            engine.translate(f"Nachricht {n} an die Behörde.", "de", "uk")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert [p.name for p in loads] == ["de-uk"]
    assert engine.loaded() == ["de-uk"]


def test_multi_target_model_gets_its_target_token_first(models_dir: Path) -> None:
    model = LoadedModel(models_dir / "de-ar", compute_type="int8", threads=1)

    assert model.encode("Guten Tag")[0] == ">>ara<<"
    assert (
        LoadedModel(models_dir / "de-uk", compute_type="int8", threads=1).encode("Guten Tag")[0] != ">>ara<<"
    )


def test_pivot_through_english_when_the_direct_model_is_missing(tiny_release: Path, tmp_path: Path) -> None:
    install(tmp_path, tiny_release, {"uk-en": None, "en-de": None})
    engine = TranslationEngine(TranslationSettings(models_dir=tmp_path, threads=1))

    result = engine.translate("Де знаходиться Jobcenter?", "uk", "de")

    assert result.models == (f"{TINY}-uk-en", f"{TINY}-en-de")
    assert "Jobcenter" in result.text
    assert engine.loaded() == ["en-de", "uk-en"]
    no_pivot = TranslationEngine(TranslationSettings(models_dir=tmp_path, pivot_language=None))
    assert no_pivot.is_available("uk", "de") is False


def test_back_translation_goes_there_and_back(engine: TranslationEngine) -> None:
    checked = engine.back_translate("Ihr Termin beim Jobcenter ist am 12.03.2026.", "de", "uk")

    assert (checked.forward.src, checked.forward.tgt) == ("de", "uk")
    assert (checked.back.src, checked.back.tgt) == ("uk", "de")
    assert checked.forward.machine_translated
    assert checked.back.machine_translated
    assert "Jobcenter" in checked.back.text
    assert "12.03.2026" in checked.back.text


def test_the_engine_sets_the_offline_flags_and_never_connects(
    settings: TranslationSettings, monkeypatch: pytest.MonkeyPatch, no_network: list[object]
) -> None:
    for name in engine_module.OFFLINE_ENV:
        monkeypatch.delenv(name, raising=False)

    engine = TranslationEngine(settings)
    engine.translate("Guten Morgen, wie geht es?", "de", "ar")

    assert {name: os.environ[name] for name in engine_module.OFFLINE_ENV} == engine_module.OFFLINE_ENV
    assert no_network == []


def test_the_network_guard_really_blocks(no_network: list[object]) -> None:
    import socket

    with pytest.raises(AssertionError, match="network use"):
        socket.create_connection(("huggingface.co", 443), timeout=1)
    assert len(no_network) == 1


def test_a_message_whose_every_sentence_is_guarded_is_not_flagged_as_translated(
    engine: TranslationEngine,
) -> None:
    result = engine.translate("Hilfe hilfe hilfe!\n0176 1234567", "de", "uk")

    assert (result.text, result.machine_translated) == ("Hilfe hilfe hilfe!\n0176 1234567", False)
    assert engine.loaded() == []
