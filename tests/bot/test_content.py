"""The content check guards the answer texts: complete, sourced, dated, translated."""

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.content import LANGUAGES, load_store, load_topics, topic_replies
from bot.content.check import check_content

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"


def test_repository_content_passes_the_check():
    problems = check_content(TRANSLATIONS)
    assert problems == [], "\n".join(map(str, problems))


def test_cli_check_exits_zero_on_the_repository():
    result = subprocess.run(
        [sys.executable, "-m", "bot", "content", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "0 problem(s)" in result.stdout


@pytest.fixture
def broken_copy(tmp_path):
    """A copy of translations/ to break in one place per test."""
    target = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, target)

    def edit(language: str, file: str, change):
        path = target / language / file
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return target

    return edit


def _messages(problems):
    return [str(p) for p in problems]


def test_missing_key_in_one_language_names_file_and_key(broken_copy):
    root = broken_copy("uk", "kita.yml", lambda d: d.pop("kita"))
    problems = _messages(check_content(root))
    assert any(p.startswith("uk/kita.yml: kita: missing in 'uk'") for p in problems), problems


def test_answer_without_sources_is_rejected(broken_copy):
    root = broken_copy("ar", "kita.yml", lambda d: d["kita"].update(sources=[]))
    assert any("ar/kita.yml: kita: no sources" in p for p in _messages(check_content(root)))


def test_answer_with_a_non_url_source_is_rejected(broken_copy):
    root = broken_copy("en", "kita.yml", lambda d: d["kita"].update(sources=["the internet"]))
    assert any("source is not a URL" in p for p in _messages(check_content(root)))


def test_answer_without_review_date_is_rejected(broken_copy):
    root = broken_copy("de", "health.yml", lambda d: d["health_care"].pop("reviewed"))
    assert any(
        "de/health.yml: health_care: missing field(s) ['reviewed']" in p
        for p in _messages(check_content(root))
    )


def test_review_date_in_the_future_is_rejected(broken_copy):
    future = dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=400)
    root = broken_copy("de", "health.yml", lambda d: d["health_care"].update(reviewed=future))
    assert any("is in the future" in p for p in _messages(check_content(root)))


def test_empty_bubble_is_rejected(broken_copy):
    root = broken_copy("en", "kita.yml", lambda d: d["kita"]["messages"].append("  "))
    assert any("en/kita.yml: kita: bubble" in p and "is empty" in p for p in _messages(check_content(root)))


def test_bubble_too_long_for_a_phone_is_rejected(broken_copy):
    root = broken_copy("en", "kita.yml", lambda d: d["kita"]["messages"].append("word " * 200))
    assert any("fit a phone screen" in p for p in _messages(check_content(root)))


def test_untranslated_copy_of_the_german_text_is_rejected(broken_copy):
    german = yaml.safe_load((TRANSLATIONS / "de" / "kita.yml").read_text(encoding="utf-8"))["kita"]
    root = broken_copy("uk", "kita.yml", lambda d: d.update(kita=german))
    problems = _messages(check_content(root))
    assert any("uk/kita.yml: kita:" in p and "untranslated" in p for p in problems), problems


def test_placeholder_mismatch_is_rejected(broken_copy):
    root = broken_copy(
        "en", "ui.yml", lambda d: d["municipality_ack"].update(text="Thank you, noted: {town}.")
    )
    assert any(
        "en/ui.yml: municipality_ack: placeholders differ" in p for p in _messages(check_content(root))
    )


def test_invalid_yaml_is_reported_with_its_file(tmp_path):
    target = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, target)
    (target / "de" / "kita.yml").write_text("kita: [unclosed", encoding="utf-8")
    problems = _messages(check_content(target))
    assert len(problems) == 1
    assert "de/kita.yml: not valid YAML" in problems[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_topic_has_an_answer_in_every_language(language):
    store = load_store()
    for intent, topic in load_topics().items():
        options = (
            [None]
            if not topic.depends_on
            else ["duldung"]
            if topic.depends_on == "residence_status"
            else ["new_arrival"]
        )
        for option in options:
            replies = topic_replies(store, intent, language, option=option, municipality="Delbrück")
            assert replies and all(r.text.strip() for r in replies), (intent, language)


def test_sourced_answer_ends_with_date_sources_and_a_way_to_a_person():
    replies = topic_replies(load_store(), "ask_kita", "en")
    closing = replies[-1]
    assert "http" in closing.text
    assert "25.11.2026" in closing.text
    assert [b.payload for b in closing.buttons] == ["/request_case_manager"]


def test_emergency_answer_starts_with_the_numbers():
    for language in LANGUAGES:
        first = topic_replies(load_store(), "report_emergency", language)[0].text
        assert "112" in first and "110" in first, language
