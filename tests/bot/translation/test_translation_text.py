"""Protected spans, sentence splitting and the hallucination guard, on plain strings."""

from __future__ import annotations

import pytest

from bot.translation.guard import skip_reason
from bot.translation.protect import Protector, default_protector
from bot.translation.segment import split


@pytest.mark.parametrize(
    "span",
    [
        "{municipality}",
        "https://www.kreis-paderborn.de/kim?x=1",
        "www.bamf.de",
        "kim@kreis-paderborn.de",
        "+49 5251 308-0",
        "05251 308 0",
        "(05251) 308-0",
        "12.03.2026",
        "1.4.",
        "2026-03-12",
        "14:30",
        "§ 60a Abs. 2 AufenthG",
        "§ 24 SGB II",
        "Duldung",
        "Aufenthaltsgestattung",
        "Ausländerbehörde",
        "Jobcenter",
        "Kita",
        "Kitas",
        "Agentur für Arbeit",
        "SGB VIII",
    ],
)
def test_each_kind_of_protected_span_is_masked_and_restored(span: str) -> None:
    text = f"Bitte beachten Sie {span} heute."

    masked = default_protector().mask(text)

    assert masked.spans == (span,)
    assert masked.text == "Bitte beachten Sie [1] heute."
    assert masked.restore("Будь ласка, зверніть увагу на [1] сьогодні.") == (
        f"Будь ласка, зверніть увагу на {span} сьогодні."
    )


def test_url_and_phone_leave_the_sentence_end_outside() -> None:
    masked = default_protector().mask("Siehe https://kreis-paderborn.de/kim. Tel. 05251 3080.")

    assert masked.spans == ("https://kreis-paderborn.de/kim", "05251 3080")


def test_plain_numbers_and_ordinary_words_are_not_protected() -> None:
    masked = default_protector().mask("Im Jahr 2026 waren es 18 Monate und 502 Euro.")

    assert masked.spans == ()


def test_text_that_looks_like_a_marker_is_protected_itself() -> None:
    masked = default_protector().mask("Siehe [1] und die Duldung.")

    assert masked.text == "Siehe [1] und die [2]."
    assert masked.restore("Див. [1] і [2].") == "Див. [1] і Duldung."


def test_markers_written_with_arabic_digits_are_restored() -> None:
    masked = Protector(["Jobcenter"]).mask("Gehen Sie zum Jobcenter.")

    assert masked.restore("اذهب إلى [١].") == "اذهب إلى Jobcenter."


@pytest.mark.parametrize("output", ["Ідіть до.", "Ідіть до [1] і [1].", "Ідіть до [1] [2].", "Ідіть до [3]."])
def test_a_lost_doubled_or_invented_marker_is_detected(output: str) -> None:
    masked = Protector(["Jobcenter"]).mask("Gehen Sie zum Jobcenter.")

    assert masked.restore(output) is None


def test_pieces_cut_the_masked_text_at_the_spans() -> None:
    masked = Protector(["Jobcenter", "Kita"]).mask("Vom Jobcenter zur Kita gehen.")

    assert masked.pieces() == [
        ("Vom ", False),
        ("Jobcenter", True),
        (" zur ", False),
        ("Kita", True),
        (" gehen.", False),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Eins. Zwei! Drei? Vier…  Fünf.",
        "Mit einer Duldung gilt:\n• Erstens.\n• Zweitens.\n\n1. Dritt",
        "Привіт! Як справи? Добре.",
        "مرحبا. كيف حالك؟ أنا بخير.",
        "",
        "   ",
        "\n\nA\n",
    ],
)
def test_split_keeps_every_character(text: str) -> None:
    assert "".join(piece.text for piece in split(text)) == text


def test_split_cuts_at_sentence_ends_in_all_four_languages() -> None:
    def sentences(text: str) -> list[str]:
        return [p.text for p in split(text) if p.translate]

    assert sentences("Eins. Zwei! Drei?") == ["Eins.", "Zwei!", "Drei?"]
    assert sentences("Один. Два? Три!") == ["Один.", "Два?", "Три!"]
    assert sentences("واحد. اثنان؟ ثلاثة!") == ["واحد.", "اثنان؟", "ثلاثة!"]
    assert sentences("One. Two? Three!") == ["One.", "Two?", "Three!"]


def test_split_does_not_cut_after_abbreviations_or_ordinals() -> None:
    pieces = [
        p.text
        for p in split("Bringen Sie z. B. den Pass mit. Am 1. Januar 2026. Danach Nr. 5 fragen.")
        if p.translate
    ]

    assert pieces == ["Bringen Sie z. B. den Pass mit.", "Am 1. Januar 2026.", "Danach Nr. 5 fragen."]


def test_layout_is_never_sent_to_the_model() -> None:
    pieces = split("Titel:\n• Punkt eins.\n• Punkt zwei.")

    assert [(p.text, p.translate) for p in pieces] == [
        ("Titel:", True),
        ("\n• ", False),
        ("Punkt eins.", True),
        ("\n• ", False),
        ("Punkt zwei.", True),
    ]


def test_an_over_long_sentence_is_cut_at_commas_then_spaces() -> None:
    long_sentence = ", ".join(f"Teil {i} mit etwas Text" for i in range(40)) + "."

    pieces = [p.text for p in split(long_sentence, max_chars=120) if p.translate]

    assert len(pieces) > 1
    assert all(len(p) <= 120 for p in pieces)
    assert " ".join(pieces).replace(", ", ",").replace(",", ", ") == long_sentence


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        (" \n ", "empty"),
        ("42", "no_words"),
        ("+49 5251 308-0", "no_words"),
        ("12.03.2026", "no_words"),
        ("😀 😀 🙏", "no_words"),
        ("...", "no_words"),
        ("ok ok ok", "repetition"),
        ("Hilfe, hilfe, HILFE, hilfe!", "repetition"),
        ("aaaaaaaaaaaa", "repetition"),
        ("ха ха ха ха ха", "repetition"),
    ],
)
def test_hallucination_prone_inputs_are_recognised(text: str, reason: str) -> None:
    assert skip_reason(text) == reason


@pytest.mark.parametrize(
    "text", ["ok", "ok ok", "Hallo 👋", "Ich brauche Hilfe", "Termin am 12.03.", "ja, ja, nein"]
)
def test_ordinary_short_messages_go_to_the_model(text: str) -> None:
    assert skip_reason(text) is None
