"""One installed direction loaded into CTranslate2, and a small thread-safe LRU cache.

CTranslate2 runs the converted Marian model on the CPU with int8 weights; SentencePiece cuts
text into the model's pieces. Both are imported here on first load, not when the package is
imported.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

from bot.translation.manifest import Manifest, ManifestError, quick_problems, read_manifest

log = logging.getLogger(__name__)

_MAX_DECODING = 512
_DROP_PIECES = {"<unk>", "</s>", "<s>", "<pad>"}


class ModelLoadError(Exception):
    """The folder does not hold a usable model."""


class LoadedModel:
    """A direction's CTranslate2 translator and SentencePiece models."""

    def __init__(self, folder: Path, *, compute_type: str, threads: int) -> None:
        import ctranslate2
        import sentencepiece

        try:
            self.manifest: Manifest = read_manifest(folder)
        except ManifestError as exc:
            raise ModelLoadError(str(exc)) from exc
        problems = quick_problems(folder, self.manifest)
        if problems:
            raise ModelLoadError("; ".join(problems))
        started = time.perf_counter()
        try:
            self._translator = ctranslate2.Translator(
                str(folder), device="cpu", compute_type=compute_type, inter_threads=1, intra_threads=threads
            )
            self._source = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
            self._target = sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm"))
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelLoadError(f"cannot load {folder.name}: {exc}") from exc
        self.direction = self.manifest.direction
        self.name = self.manifest.model
        self._prefix = [self.manifest.target_token] if self.manifest.target_token else []
        log.info("translation model %s loaded in %.2f s", self.direction, time.perf_counter() - started)

    def encode(self, text: str) -> list[str]:
        """Source pieces, with the target-language token (``>>ara<<``) first for multi-target models."""
        return self._prefix + list(self._source.encode(text, out_type=str))

    def translate(self, texts: list[str], *, beam_size: int, max_batch_size: int) -> list[str]:
        """Translate sentences in batches of at most ``max_batch_size``; one output per input."""
        tokens = [self.encode(text) for text in texts]
        longest = max(len(t) for t in tokens)
        results = self._translator.translate_batch(
            tokens,
            beam_size=beam_size,
            max_batch_size=max_batch_size,
            # Bounded output: a runaway repetition stops at twice the input length.
            max_decoding_length=min(_MAX_DECODING, 2 * longest + 10),
        )
        return [self._decode(result.hypotheses[0]) for result in results]

    def _decode(self, pieces: list[str]) -> str:
        kept = [p for p in pieces if p not in _DROP_PIECES and not (p.startswith(">>") and p.endswith("<<"))]
        return str(self._target.decode_pieces(kept)).strip()


class LruCache:
    """A bounded mapping that forgets the least recently used entry; safe across threads."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._data: OrderedDict[Any, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> str | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: Any, value: str) -> None:
        if self._size == 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)
