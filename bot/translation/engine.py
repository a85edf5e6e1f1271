"""The translation engine: local OPUS-MT models in CTranslate2, one folder per direction.

``TranslationEngine.translate(text, src, tgt)`` returns a :class:`Translation` whose
``machine_translated`` flag says whether a model wrote the text. Steps, in order:

1. language codes checked; ``src == tgt`` returns the text untouched;
2. hard length limit (:class:`TranslationInputTooLong`);
3. inputs models hallucinate on (empty, only digits/emojis, one word repeated) are returned as
   they are, without calling the model (:mod:`bot.translation.guard`);
4. the text is cut into sentences (:mod:`~bot.translation.segment`) and protected spans are
   masked (:mod:`~bot.translation.protect`); sentences without words are kept as they are;
5. if anything is left to translate, the route is found (the direct model, else a pivot through
   English if both legs are installed, else :class:`TranslationUnavailable`) and all sentences
   go to the model in one batch per leg, with a bounded cache in front; sentences whose markers
   did not survive are translated again piece by piece between the protected spans.

Each direction is loaded on first use, once, under a lock. The engine never opens a network
connection; creating one sets the Hugging Face offline flags for the whole process.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.translation.errors import TranslationError, TranslationInputTooLong, TranslationUnavailable
from bot.translation.guard import NO_WORDS, skip_reason
from bot.translation.manifest import MANIFEST_NAME
from bot.translation.protect import Masked, Protector, default_protector
from bot.translation.runtime import LoadedModel, LruCache, ModelLoadError
from bot.translation.segment import Piece, split
from bot.translation.settings import TranslationSettings

log = logging.getLogger(__name__)

LANGUAGES = ("de", "uk", "ar", "en")
MAX_SENTENCE_CHARS = 400
SAME_LANGUAGE = "same_language"
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
}


@dataclass(frozen=True)
class Translation:
    """A translated message. ``machine_translated`` is False when no model wrote ``text``."""

    text: str
    src: str
    tgt: str
    machine_translated: bool
    models: tuple[str, ...] = ()
    skipped: str | None = None  # why the model was not used: empty, no_words, repetition, same_language


@dataclass(frozen=True)
class BackTranslation:
    """A reply in the user's language and, for checking, that reply translated back."""

    forward: Translation
    back: Translation


@dataclass
class EngineStats:
    """Counters for monitoring and tests: model calls, sentences sent, cache hits, fallbacks."""

    model_batches: int = 0
    model_sentences: int = 0
    cache_hits: int = 0
    span_fallbacks: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, value in counts.items():
                setattr(self, name, getattr(self, name) + value)


def enforce_offline() -> None:
    """Tell every Hugging Face library in this process never to reach the Hub."""
    os.environ.update(OFFLINE_ENV)


@dataclass
class _Sentence:
    masked: Masked
    output: str | None = None


class TranslationEngine:
    """Translates between de, uk, ar and en with the models installed in ``settings.models_dir``."""

    def __init__(
        self, settings: TranslationSettings | None = None, *, protector: Protector | None = None
    ) -> None:
        self.settings = settings or TranslationSettings()
        self.stats = EngineStats()
        self._protector = protector
        self._models: dict[str, LoadedModel] = {}
        self._load_lock = threading.Lock()
        self._cache = LruCache(self.settings.cache_size)
        enforce_offline()

    # -- public -------------------------------------------------------------------------------

    def installed(self) -> list[str]:
        """Directions with a model folder (``["ar-de", "de-uk", ...]``); nothing is loaded."""
        root = self.settings.models_dir
        if not root.is_dir():
            return []
        return sorted(p.name for p in root.iterdir() if (p / MANIFEST_NAME).is_file())

    def loaded(self) -> list[str]:
        """Directions whose model is in memory."""
        return sorted(self._models)

    def is_available(self, src: str, tgt: str) -> bool:
        """Whether ``translate`` has a route from ``src`` to ``tgt`` (direct or pivot)."""
        try:
            self._route(src, tgt)
        except TranslationUnavailable:
            return False
        return True

    def translate(self, text: str, src: str, tgt: str) -> Translation:
        """Translate one message; see the module docstring for the steps and errors."""
        return self.translate_many([text], src, tgt)[0]

    def translate_many(self, texts: Sequence[str], src: str, tgt: str) -> list[Translation]:
        """Translate several messages in one direction, all their sentences in shared batches."""
        _check_language(src, src, tgt)
        _check_language(tgt, src, tgt)
        for text in texts:
            if len(text) > self.settings.max_chars:
                raise TranslationInputTooLong(len(text), self.settings.max_chars, src=src, tgt=tgt)
        if src == tgt:
            return [Translation(t, src, tgt, machine_translated=False, skipped=SAME_LANGUAGE) for t in texts]

        results: list[Translation | None] = []
        todo: list[tuple[int, list[Piece]]] = []
        for index, text in enumerate(texts):
            reason = skip_reason(text)
            if reason:
                results.append(Translation(text, src, tgt, machine_translated=False, skipped=reason))
            else:
                results.append(None)
                todo.append((index, split(text, max_chars=MAX_SENTENCE_CHARS)))
        protector = self._protector or default_protector()
        sentences: dict[tuple[int, int], _Sentence] = {}
        for index, pieces in todo:
            for position, piece in enumerate(pieces):
                if piece.translate and skip_reason(piece.text) is None:
                    masked = protector.mask(piece.text)
                    if any(ch.isalpha() for ch in _without_markers(masked)):
                        sentences[(index, position)] = _Sentence(masked)
        names: tuple[str, ...] = ()
        if sentences:
            models = [self._load(direction) for direction in self._route(src, tgt)]
            names = tuple(model.name for model in models)
            self._translate_sentences(models, list(sentences.values()))

        for index, pieces in todo:
            keys = [(index, pos) for pos in range(len(pieces))]
            if not any(key in sentences for key in keys):  # every sentence was guarded
                results[index] = Translation(
                    texts[index], src, tgt, machine_translated=False, skipped=NO_WORDS
                )
                continue
            out = [_output(sentences.get(key), piece) for key, piece in zip(keys, pieces, strict=True)]
            results[index] = Translation("".join(out), src, tgt, machine_translated=True, models=names)
        return [r for r in results if r is not None]

    def back_translate(self, text: str, src: str, tgt: str) -> BackTranslation:
        """Translate ``text`` to ``tgt`` and the result back to ``src``, for a check before sending."""
        forward = self.translate(text, src, tgt)
        back = self.translate(forward.text, tgt, src)
        return BackTranslation(forward=forward, back=back)

    # -- internals ----------------------------------------------------------------------------

    def _installed(self, direction: str) -> bool:
        return direction in self._models or (self.settings.models_dir / direction / MANIFEST_NAME).is_file()

    def _route(self, src: str, tgt: str) -> list[str]:
        direct = f"{src}-{tgt}"
        if self._installed(direct):
            return [direct]
        pivot = self.settings.pivot_language
        if pivot and pivot not in (src, tgt):
            legs = [f"{src}-{pivot}", f"{pivot}-{tgt}"]
            if all(self._installed(leg) for leg in legs):
                return legs
        raise TranslationUnavailable(
            f"no translation model for {direct} in {self.settings.models_dir}", src=src, tgt=tgt
        )

    def _load(self, direction: str) -> LoadedModel:
        model = self._models.get(direction)
        if model is not None:
            return model
        with self._load_lock:
            model = self._models.get(direction)
            if model is None:
                src, tgt = direction.split("-")
                try:
                    model = LoadedModel(
                        self.settings.models_dir / direction,
                        compute_type=self.settings.compute_type,
                        threads=self.settings.threads,
                    )
                except ModelLoadError as exc:
                    log.warning("translation model %s cannot be used: %s", direction, exc)
                    raise TranslationUnavailable(str(exc), src=src, tgt=tgt) from exc
                self._models[direction] = model
        return model

    def _translate_sentences(self, models: list[LoadedModel], sentences: list[_Sentence]) -> None:
        outputs = self._through(models, [s.masked.text for s in sentences])
        retry: list[_Sentence] = []
        for sentence, output in zip(sentences, outputs, strict=True):
            sentence.output = sentence.masked.restore(output)
            if sentence.output is None:
                retry.append(sentence)
        if not retry:
            return
        # Markers lost: translate only the text between the protected spans, keep the spans.
        self.stats.add(span_fallbacks=len(retry))
        chunks = [
            text.strip()
            for sentence in retry
            for text, is_span in sentence.masked.pieces()
            if not is_span and _has_words(text)
        ]
        translated = iter(self._through(models, chunks))
        for sentence in retry:
            parts = []
            for text, is_span in sentence.masked.pieces():
                if is_span or not _has_words(text):
                    parts.append(text)
                else:
                    lead = text[: len(text) - len(text.lstrip())]
                    trail = text[len(text.rstrip()) :]
                    parts.append(lead + next(translated) + trail)
            sentence.output = "".join(parts)

    def _through(self, models: list[LoadedModel], texts: list[str]) -> list[str]:
        for model in models:
            texts = self._translate_leg(model, texts)
        return texts

    def _translate_leg(self, model: LoadedModel, texts: list[str]) -> list[str]:
        found = {text: self._cache.get((model.direction, text)) for text in set(texts)}
        missing = [text for text, value in found.items() if value is None]
        self.stats.add(cache_hits=len(texts) - sum(1 for t in texts if found[t] is None))
        if missing:
            try:
                outputs = model.translate(
                    missing, beam_size=self.settings.beam_size, max_batch_size=self.settings.max_batch_size
                )
            except (RuntimeError, ValueError) as exc:
                raise TranslationError(f"model {model.direction} failed: {exc}") from exc
            self.stats.add(model_batches=1, model_sentences=len(missing))
            for text, output in zip(missing, outputs, strict=True):
                found[text] = output
                self._cache.put((model.direction, text), output)
        return [found[text] or "" for text in texts]


def _output(sentence: _Sentence | None, piece: Piece) -> str:
    if sentence is None or sentence.output is None:
        return piece.text
    return sentence.output


def _check_language(code: str, src: str, tgt: str) -> None:
    if code not in LANGUAGES:
        raise TranslationUnavailable(f"language {code!r} is not supported", src=src, tgt=tgt)


def _without_markers(masked: Masked) -> str:
    return "".join(text for text, is_span in masked.pieces() if not is_span)


def _has_words(text: str) -> bool:
    return skip_reason(text) is None
