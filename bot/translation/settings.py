"""Settings of the translation engine: one frozen dataclass, read from the environment in one place."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV_PREFIX = "KIM_TRANSLATION_"


@dataclass(frozen=True)
class TranslationSettings:
    """How the local translation engine runs.

    ``models_dir`` holds one folder per direction (``de-uk``, ``ar-de``, ...) written by
    ``python -m bot models fetch``. ``max_chars`` is the hard limit on one message; longer input
    raises :class:`~bot.translation.TranslationInputTooLong` before any model work.
    """

    models_dir: Path = Path("models/translation")
    max_chars: int = 2000
    cache_size: int = 512
    threads: int = 2
    compute_type: str = "int8"
    beam_size: int = 2
    max_batch_size: int = 16
    pivot_language: str | None = "en"

    def __post_init__(self) -> None:
        if self.max_chars < 1 or self.cache_size < 0 or self.threads < 1:
            raise ValueError("max_chars and threads must be >= 1, cache_size >= 0")
        if self.beam_size < 1 or self.max_batch_size < 1:
            raise ValueError("beam_size and max_batch_size must be >= 1")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> TranslationSettings:
        """Build settings from ``KIM_TRANSLATION_*`` variables; unset ones keep their defaults."""
        env = os.environ if environ is None else environ
        default = cls()

        def get(name: str, fallback: str) -> str:
            return env.get(ENV_PREFIX + name, fallback)

        pivot = get("PIVOT_LANGUAGE", default.pivot_language or "")
        return cls(
            models_dir=Path(get("MODELS_DIR", str(default.models_dir))),
            max_chars=int(get("MAX_CHARS", str(default.max_chars))),
            cache_size=int(get("CACHE_SIZE", str(default.cache_size))),
            threads=int(get("THREADS", str(default.threads))),
            compute_type=get("COMPUTE_TYPE", default.compute_type),
            beam_size=int(get("BEAM_SIZE", str(default.beam_size))),
            max_batch_size=int(get("MAX_BATCH_SIZE", str(default.max_batch_size))),
            pivot_language=pivot or None,
        )
