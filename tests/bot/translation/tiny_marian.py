"""Build a tiny OPUS-MT release (random Marian weights, real layout) for the tests.

The release has the same files as a real one from the OPUS-MT server (``model.npz``,
``vocab.yml``, ``source.spm``, ``target.spm``, ``decoder.yml``), zipped, so the tests install it
with the production ``fetch_direction`` and load it with the production engine. The weights
are random: outputs are nonsense by design, the tests check plumbing, never wording.

``tiny_entry``/``install`` put it into a models folder through ``fetch_direction`` from a
``file://`` URL. The SentencePiece model is trained on the project's own answer texts (translations/*/*.yml),
topped up with shared/facts.md and a few seed lines when there is little text yet.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import sentencepiece as spm
import yaml

from bot.translation.catalog import CatalogEntry
from bot.translation.fetch import fetch_direction

REPO = Path(__file__).resolve().parents[3]
TINY = "tiny/random-weights"

FACTS = REPO.parent / "shared" / "facts.md"
TARGET_TOKENS = (">>ara<<", ">>ukr<<", ">>deu<<", ">>eng<<")
# Characters the tests put through the model must be in the vocabulary.
SEED = [
    "Bitte bringen Sie Ihre Duldung zum Jobcenter mit. Wo ist die Kita?",
    "Будь ласка, принесіть вашу Duldung до Jobcenter. Де знаходиться Kita?",
    "من فضلك أحضر Duldung إلى Jobcenter. أين Kita؟",
    "Please bring your Duldung to the Jobcenter. Where is the Kita?",
    "[1] [2] [3] [4] [5] [6] [7] [8] [9] 0123456789 {} () +49 05251 @ www https:// . , ; : ! ? - / §",
]
MIN_CHARS = 20_000


def corpus_lines() -> list[str]:
    """Lines of the project's answer texts (all languages), plus fallbacks while they are few."""
    lines: list[str] = []
    for path in sorted((REPO / "translations").glob("*/*.yml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, OSError):
            continue  # being written by someone else right now
        lines.extend(_strings(data))
    if sum(map(len, lines)) < MIN_CHARS and FACTS.is_file():
        lines.extend(FACTS.read_text(encoding="utf-8").splitlines())
    lines.extend(SEED)
    return [line.strip() for line in lines if line.strip()]


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [] if node.startswith("http") else node.splitlines()
    if isinstance(node, dict):
        return [
            s for key, value in node.items() if key not in ("sources", "reviewed") for s in _strings(value)
        ]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    return []


def train_spm(lines: list[str], vocab_size: int = 1000) -> bytes:
    """A unigram SentencePiece model with OPUS-MT's ids: ``</s>`` = 0, ``<unk>`` = 1."""
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        model_type="unigram",
        character_coverage=1.0,
        eos_id=0,
        unk_id=1,
        bos_id=-1,
        pad_id=-1,
        num_threads=2,
        minloglevel=2,
    )
    return model.getvalue()


def vocab_yml(spm_model: bytes, size: int | None = None) -> str:
    """Marian vocabulary: the pieces with their ids, the target-language tokens, fillers up to ``size``."""
    processor = spm.SentencePieceProcessor(model_proto=spm_model)
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    pieces.extend(TARGET_TOKENS)
    pieces.extend(f"<filler{i}>" for i in range((size or 0) - len(pieces)))
    return "".join(f"{json.dumps(piece, ensure_ascii=False)}: {i}\n" for i, piece in enumerate(pieces))


def marian_npz(
    vocab: int,
    *,
    dim: int = 32,
    ffn: int = 64,
    heads: int = 4,
    layers: int = 2,
    seed: int = 7,
    output_bias: np.ndarray | None = None,
) -> bytes:
    """Random weights in Marian's npz layout (post-norm transformer, tied embeddings, swish).

    ``output_bias`` is added to the output layer's bias: a test model that should write one script
    (e.g. de→ar: Arabic pieces only) favours that script's pieces, as a trained model would.
    """
    rng = np.random.default_rng(seed)
    scale = 0.3 if dim <= 64 else 0.05

    def w(*shape: int) -> np.ndarray:
        return (rng.standard_normal(shape, dtype=np.float32) * scale).astype(np.float32)

    def ones(n: int) -> np.ndarray:
        return np.ones((1, n), np.float32)

    def zeros(n: int) -> np.ndarray:
        return np.zeros((1, n), np.float32)

    weights: dict[str, np.ndarray] = {"Wemb": w(vocab, dim), "decoder_ff_logit_out_b": w(1, vocab)}
    if output_bias is not None:
        weights["decoder_ff_logit_out_b"] += output_bias.reshape(1, vocab).astype(np.float32)

    def attention(prefix: str) -> None:
        for name in "qkvo":
            weights[f"{prefix}_W{name}"] = w(dim, dim)
            weights[f"{prefix}_b{name}"] = zeros(dim)
        weights[f"{prefix}_Wo_ln_scale"] = ones(dim)
        weights[f"{prefix}_Wo_ln_bias"] = zeros(dim)

    def feed_forward(prefix: str) -> None:
        weights[f"{prefix}_ffn_W1"] = w(dim, ffn)
        weights[f"{prefix}_ffn_b1"] = zeros(ffn)
        weights[f"{prefix}_ffn_W2"] = w(ffn, dim)
        weights[f"{prefix}_ffn_b2"] = zeros(dim)
        weights[f"{prefix}_ffn_ffn_ln_scale"] = ones(dim)
        weights[f"{prefix}_ffn_ffn_ln_bias"] = zeros(dim)

    for i in range(1, layers + 1):
        attention(f"encoder_l{i}_self")
        feed_forward(f"encoder_l{i}")
        attention(f"decoder_l{i}_self")
        attention(f"decoder_l{i}_context")
        feed_forward(f"decoder_l{i}")
    config = {
        "type": "transformer",
        "dim-emb": dim,
        "dim-vocabs": [vocab, vocab],
        "enc-depth": layers,
        "dec-depth": layers,
        "transformer-heads": heads,
        "transformer-dim-ffn": ffn,
        "transformer-ffn-activation": "swish",
        "transformer-preprocess": "",
        "transformer-postprocess": "dan",
        "transformer-postprocess-emb": "d",
        "transformer-decoder-autoreg": "self-attention",
        "transformer-no-projection": False,
        "transformer-guided-alignment-layer": "last",
        "tied-embeddings-all": True,
    }
    weights["special:model.yml"] = np.frombuffer(yaml.safe_dump(config).encode() + b"\0", dtype=np.int8)
    out = io.BytesIO()
    np.savez(out, **weights)
    return out.getvalue()


def build_release(
    target: Path,
    lines: list[str] | None = None,
    *,
    dim: int = 32,
    ffn: int = 64,
    heads: int = 4,
    layers: int = 2,
    vocab_size: int | None = None,
    target_script: str | None = None,
) -> Path:
    """Write ``target`` (a zip laid out like an OPUS-MT release) and return it.

    The defaults make a model of a few hundred kB for the tests; ``dim=512, ffn=2048, heads=8,
    layers=6, vocab_size=58101`` is the size of an OPUS-MT base model (for the speed benchmark).
    """
    spm_model = train_spm(lines if lines is not None else corpus_lines())
    vocab = vocab_yml(spm_model, vocab_size)
    size = len(vocab.splitlines())
    bias = script_bias(vocab, target_script) if target_script else None
    decoder = yaml.safe_dump({"models": ["tiny.npz"], "vocabs": ["tiny.vocab.yml", "tiny.vocab.yml"]})
    with zipfile.ZipFile(target, "w") as release:
        release.writestr(
            "tiny.npz", marian_npz(size, dim=dim, ffn=ffn, heads=heads, layers=layers, output_bias=bias)
        )
        release.writestr("tiny.vocab.yml", vocab)
        release.writestr("source.spm", spm_model)
        release.writestr("target.spm", spm_model)
        release.writestr("decoder.yml", decoder)
        release.writestr("README.md", "Tiny random-weight test model of the OPUS-MT layout.\n")
    return target


SCRIPT_RANGES = {"arabic": ("\u0600", "\u06ff"), "cyrillic": ("\u0400", "\u04ff")}


def script_bias(vocab: str, script: str, strength: float = 6.0) -> np.ndarray:
    """+``strength`` for every piece with a letter of ``script``, and for ``</s>`` (so output ends)."""
    low, high = SCRIPT_RANGES[script]
    pieces = [json.loads(line.rsplit(": ", 1)[0]) for line in vocab.splitlines()]
    bias = np.zeros(len(pieces), np.float32)
    for index, piece in enumerate(pieces):
        if any(low <= ch <= high for ch in piece):
            bias[index] = strength
    bias[pieces.index("</s>")] = strength - 1.0
    return bias


def tiny_entry(direction: str, release: Path, *, target_token: str | None = None) -> CatalogEntry:
    return CatalogEntry(
        direction=direction,
        model=f"{TINY}-{direction}",
        version="0",
        url=release.as_uri(),
        sha256=None,
        licence="test only",
        licence_url="",
        hf_repo=None,
        target_token=target_token,
        published_chrf={},
        reason="test model",
    )


def install(models_dir: Path, release: Path, directions: dict[str, str | None]) -> Path:
    for direction, token in directions.items():
        fetch_direction(tiny_entry(direction, release, target_token=token), models_dir)
    return models_dir
