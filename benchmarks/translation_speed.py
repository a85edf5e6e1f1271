"""Speed of the chosen runtime (CTranslate2, int8) against plain transformers (PyTorch), same model.

Needs torch, which must not go into the project's venv (the registry's torch is the CUDA build).
Run it in its own Python 3.11 venv; the CPU torch wheel on these machines installs from disk:

    python3.11 -m venv .venv-bench
    .venv-bench/bin/pip install torch==2.13.0 transformers sentencepiece ctranslate2==4.8.5 pyyaml
    .venv-bench/bin/python benchmarks/translation_speed.py --threads 2

What it measures. A MarianMTModel of the real OPUS-MT base size (d_model 512, 6+6 layers,
8 heads, FFN 2048, swish, vocabulary 58,101) with RANDOM weights: real weights cannot be
downloaded here. Output wording is meaningless; speed is real, because the work per token
depends only on the sizes. The model is converted with CTranslate2's TransformersConverter to
float32 and int8. Decoding is greedy with a fixed output length (min = max), so every runtime
writes exactly the same number of tokens. Inputs are the project's German answer texts
(translations/de/*.yml), cut by a SentencePiece model trained on them:

* single: one 30-word message per call (the live-chat case), latency p50/p95 and CPU time;
* batch: 16 sentences per call (an intake summary), sentences per second;
* ct2-int8-split: the engine's path, the message cut into sentences by bot.translation.segment
  and decoded as one batch, with the engine's default beam size.

Each runtime runs in its own processes (peak memory is its VmHWM); the messages are split into
parts and the runtimes alternate part by part in rotating order, so other programs on a shared
machine slow them alike. Model loading and 3 warm-up calls per process are excluded.
"same output" compares the generated token ids with those of transformers: CTranslate2
float32 must match (same model, same arithmetic); int8 shows how often quantisation flips a
greedy choice on random weights, whose best and second-best tokens are far closer than in a
trained model.

Install mode (no torch; the project venv is enough): ``--install`` puts random Marian weights
of the base and big sizes through the production ``fetch_direction`` and reports release size,
conversion time, installed size and load time.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VOCAB = 58101  # opus-mt-de-en; pad = last id
WORDS_PER_MESSAGE = 30
BATCH = 16
RUNTIMES = ("transformers", "ct2-float32", "ct2-int8", "ct2-int8-split")
SPLIT = "ct2-int8-split"  # the engine's path: the message cut into sentences, decoded as one batch


# -- preparation (main process) ---------------------------------------------------------------


def german_text() -> str:
    import yaml

    parts: list[str] = []
    for path in sorted((REPO / "translations" / "de").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for entry in data.values():
            if isinstance(entry, dict):
                parts.extend(entry.get("messages") or [])
                parts.extend([entry["ask_person"]] if entry.get("ask_person") else [])
                parts.extend([entry["text"]] if entry.get("text") else [])
    text = " ".join(" ".join(str(p).split()) for p in parts)
    facts = REPO.parent / "shared" / "facts.md"
    if len(text) < 20_000 and facts.is_file():  # while few answer texts exist
        text += " " + " ".join(facts.read_text(encoding="utf-8").split())
    return text


def build(work: Path) -> None:
    """Random opus-mt-base-sized MarianMTModel + tokenizer files, and its CTranslate2 conversions."""
    import sentencepiece as spm
    import torch
    from ctranslate2.converters import TransformersConverter
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    text = german_text()
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", text) if len(s) > 20]
    spm_bytes = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences), model_writer=spm_bytes, vocab_size=8000, hard_vocab_limit=False,
        character_coverage=1.0, eos_id=0, unk_id=1, bos_id=-1, pad_id=-1, minloglevel=2,
    )  # fmt: skip
    hf = work / "hf"
    hf.mkdir(parents=True, exist_ok=True)
    for name in ("source.spm", "target.spm"):
        (hf / name).write_bytes(spm_bytes.getvalue())
    processor = spm.SentencePieceProcessor(model_proto=spm_bytes.getvalue())
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    pieces += [f"<filler{i}>" for i in range(VOCAB - 1 - len(pieces))] + ["<pad>"]
    (hf / "vocab.json").write_text(json.dumps({p: i for i, p in enumerate(pieces)}, ensure_ascii=False))
    MarianTokenizer(str(hf / "source.spm"), str(hf / "target.spm"), str(hf / "vocab.json")).save_pretrained(
        hf
    )

    torch.manual_seed(0)
    config = MarianConfig(
        vocab_size=VOCAB, decoder_vocab_size=VOCAB, d_model=512, encoder_layers=6, decoder_layers=6,
        encoder_attention_heads=8, decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048,
        activation_function="swish", max_position_embeddings=512, scale_embedding=True,
        pad_token_id=VOCAB - 1, decoder_start_token_id=VOCAB - 1, eos_token_id=0,
        share_encoder_decoder_embeddings=True, bad_words_ids=[[VOCAB - 1]],
        init_std=0.1,  # above the default 0.02, so greedy outputs vary and "same output" means something
    )  # fmt: skip
    MarianMTModel(config).eval().save_pretrained(hf)
    for quantization in ("float32", "int8"):
        TransformersConverter(str(hf)).convert(
            str(work / f"ct2-{quantization}"), quantization=quantization, force=True
        )

    words = text.split()
    messages = [
        " ".join(words[i : i + WORDS_PER_MESSAGE])
        for i in range(0, 30 * WORDS_PER_MESSAGE, WORDS_PER_MESSAGE)
    ]
    encode = lambda s: [*processor.encode(s, out_type=str), "</s>"]  # noqa: E731
    chat_sized = [tokens for tokens in map(encode, sentences) if len(tokens) <= 60]
    sys.path.insert(0, str(REPO))
    from bot.translation.segment import split

    inputs = {
        "single": [encode(m) for m in messages],
        "single_split": [[encode(p.text) for p in split(m) if p.translate] for m in messages],
        "batch": chat_sized[: 4 * BATCH],
    }
    (work / "inputs.json").write_text(json.dumps(inputs, ensure_ascii=False))


# -- measuring -------------------------------------------------------------------------------
# Each runtime runs in its own process (its own peak memory; no OpenMP threads of another runtime
# spinning beside it). The messages are split into PARTS; the processes alternate part by part in
# rotating order, so load from other programs on a shared machine falls on every runtime alike.

PARTS = 4


def _runner(runtime: str, work: Path, threads: int):  # type: ignore[no-untyped-def]
    if runtime == "transformers":
        return _transformers_runner(work, threads)
    beam = _engine_beam_size() if runtime == SPLIT else 1
    return _ct2_runner(work, "ct2-int8" if runtime == SPLIT else runtime, threads, beam)


def _call(run, batch: list[list[str]]) -> tuple[float, float, list[int]]:  # type: ignore[no-untyped-def]
    """Wall s, CPU s and the generated tokens of one call with a fixed output length."""
    length = max(len(tokens) for tokens in batch)
    started, cpu_started = time.perf_counter(), time.process_time()
    outputs = run(batch, length)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    # Same number of decoding steps everywhere (transformers counts its final </s> in the length).
    assert all(len(o) == length for o in outputs), "runtimes must write the same number of tokens"
    return elapsed, cpu, [token for o in outputs for token in o[:-1]]


def worker(runtime: str, work: Path, threads: int, part: int) -> dict[str, object]:
    """Time one part of the messages and batches; raw figures, combined by the parent."""
    inputs = json.loads((work / "inputs.json").read_text(encoding="utf-8"))
    run = _runner(runtime, work, threads)
    messages = inputs["single_split"] if runtime == SPLIT else [[m] for m in inputs["single"]]
    for message in messages[:3]:  # warm-up
        _call(run, message)
    picked = list(range(part, len(messages), PARTS))
    timed = [_call(run, messages[n]) for n in picked]
    batches = [inputs["batch"][i : i + BATCH] for i in range(0, len(inputs["batch"]), BATCH)]
    batch_times = [] if runtime == SPLIT else [_call(run, b)[0] for b in batches[part::PARTS]]
    return {
        "index": picked,
        "wall": [t[0] for t in timed],
        "cpu": [t[1] for t in timed],
        "outputs": [t[2] for t in timed],
        "batch": batch_times,
        "batch_sentences": sum(len(b) for b in batches[part::PARTS]),
        "peak_rss_mb": _peak_rss_mb(),
        "tokens_in_single": statistics.mean(len(t) for t in inputs["single"]),
    }


def combine(parts: list[dict]) -> dict[str, object]:  # type: ignore[type-arg]
    wall = [w for p in parts for w in p["wall"]]
    cpu = [c for p in parts for c in p["cpu"]]
    batch = [b for p in parts for b in p["batch"]]
    outputs = dict(sorted((i, o) for p in parts for i, o in zip(p["index"], p["outputs"], strict=True)))
    return {
        "single_p50_ms": 1000 * statistics.median(wall),
        "single_p95_ms": 1000 * _p95(wall),
        "single_cpu_ms": 1000 * statistics.median(cpu),
        "single_sent_per_s": len(wall) / sum(wall),
        "batch_p95_ms": 1000 * _p95(batch) if batch else None,
        "batch_sent_per_s": sum(p["batch_sentences"] for p in parts) / sum(batch) if batch else None,
        "peak_rss_mb": max(p["peak_rss_mb"] for p in parts),
        "tokens_in_single": parts[0]["tokens_in_single"],
        "outputs": list(outputs.values()),
    }


def _transformers_runner(work: Path, threads: int):  # type: ignore[no-untyped-def]
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    torch.set_num_threads(threads)
    model = MarianMTModel.from_pretrained(work / "hf").eval()
    tokenizer = MarianTokenizer.from_pretrained(work / "hf")
    pad = model.config.pad_token_id

    def run(batch: list[list[str]], length: int) -> list[list[int]]:
        ids = [tokenizer.convert_tokens_to_ids(tokens) for tokens in batch]
        width = max(map(len, ids))
        input_ids = torch.tensor([row + [pad] * (width - len(row)) for row in ids])
        mask = (input_ids != pad).long()
        with torch.inference_mode():
            out = model.generate(
                input_ids=input_ids, attention_mask=mask, num_beams=1, do_sample=False,
                max_new_tokens=length, min_new_tokens=length, bad_words_ids=[[pad]],
            )  # fmt: skip
        return [row[1:].tolist() for row in out]  # drop the decoder start token

    return run


def _engine_beam_size() -> int:
    sys.path.insert(0, str(REPO))
    from bot.translation.settings import TranslationSettings

    return TranslationSettings().beam_size


def _ct2_runner(work: Path, runtime: str, threads: int, beam_size: int = 1):  # type: ignore[no-untyped-def]
    import ctranslate2
    import sentencepiece  # noqa: F401  (same imports as the engine)

    translator = ctranslate2.Translator(
        str(work / runtime), device="cpu", intra_threads=threads, inter_threads=1
    )
    vocab = json.loads((work / "hf" / "vocab.json").read_text(encoding="utf-8"))

    def run(batch: list[list[str]], length: int) -> list[list[int]]:
        results = translator.translate_batch(
            batch,
            beam_size=beam_size,
            max_decoding_length=length,
            min_decoding_length=length,
            max_batch_size=BATCH,
        )
        return [[vocab[token] for token in r.hypotheses[0]] for r in results]

    return run


def _peak_rss_mb() -> float:
    """VmHWM: this process's own peak (ru_maxrss would include the parent's, inherited at fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# -- report ----------------------------------------------------------------------------------


def install_sizes(work: Path, threads: int) -> None:
    """Disk, time and memory of installing and loading a base and a big model with the production code.

    Random Marian weights of the real sizes go through ``fetch_direction`` exactly as a downloaded
    release would (unzip, OpusMTConverter to int8, manifest, rename), then load in the engine.
    """
    sys.path.insert(0, str(REPO))
    from bot.translation.catalog import CatalogEntry
    from bot.translation.fetch import fetch_direction
    from bot.translation.runtime import LoadedModel
    from tests.bot.translation.tiny_marian import build_release

    sizes = {"base": {"dim": 512, "ffn": 2048, "heads": 8}, "big": {"dim": 1024, "ffn": 4096, "heads": 16}}
    print("# Installing a model: disk, time, memory (random weights of the real sizes)\n")
    print(f"Command: `{' '.join([Path(sys.executable).name, *sys.argv])}`  ")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}\n")
    print("| size | release (npz, MB) | convert + install s | installed MB | load s | RSS after load MB |")
    print("|---|---|---|---|---|---|")
    lines = german_text().split(". ")
    for name, dims in sizes.items():
        release = build_release(work / f"{name}.zip", lines, layers=6, vocab_size=60000, **dims)
        entry = CatalogEntry(
            direction=f"de-{name[:2]}", model=f"random/{name}", version="0", url=release.as_uri(),
            sha256=None, licence="-", licence_url="", hf_repo=None, target_token=None,
            published_chrf={}, reason="size test",
        )  # fmt: skip
        started = time.perf_counter()
        folder = fetch_direction(entry, work / "models", force=True)
        install_s = time.perf_counter() - started
        installed = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        rss_before = _rss_mb()
        started = time.perf_counter()
        model = LoadedModel(folder, compute_type="int8", threads=threads)
        load_s = time.perf_counter() - started
        print(
            f"| {name} | {release.stat().st_size / 1e6:.0f} | {install_s:.1f} | {installed:.0f} "
            f"| {load_s:.2f} | +{_rss_mb() - rss_before:.0f} |"
        )
        del model


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--work-dir", type=Path, help="keep the built model here (default: a temp dir)")
    parser.add_argument(
        "--install", action="store_true", help="measure install size/time/memory instead (no torch needed)"
    )
    parser.add_argument("--worker", choices=RUNTIMES, help=argparse.SUPPRESS)
    parser.add_argument("--part", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.install:
        with tempfile.TemporaryDirectory() as tmp:
            install_sizes(args.work_dir or Path(tmp), args.threads)
        return 0
    if args.worker:
        sys.stdout.write(json.dumps(worker(args.worker, args.work_dir, args.threads, args.part)))
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        work = args.work_dir or Path(tmp)
        if not (work / "inputs.json").is_file():
            started = time.perf_counter()
            build(work)
            print(
                f"built and converted the random model in {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
        raw: dict[str, list[dict]] = {runtime: [] for runtime in RUNTIMES}  # type: ignore[type-arg]
        loads = []
        order = list(RUNTIMES)
        for part in range(PARTS):
            for runtime in order:
                command = [sys.executable, __file__, "--worker", runtime, "--work-dir", str(work)]
                command += ["--threads", str(args.threads), "--part", str(part)]
                done = subprocess.run(command, capture_output=True, text=True, check=True)
                raw[runtime].append(json.loads(done.stdout))
                loads.append(os.getloadavg()[0])
            order = order[1:] + order[:1]
    report({runtime: combine(parts) for runtime, parts in raw.items()}, args.threads, max(loads))
    return 0


def report(results: dict[str, dict], threads: int, load: float) -> None:  # type: ignore[type-arg]
    base = results["transformers"]
    print(
        "# Translation speed: CTranslate2 vs transformers (RANDOM weights: output meaningless, speed real)\n"
    )
    print(f"Command: `{' '.join([Path(sys.executable).name, *sys.argv])}`  ")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, {threads} threads, "
          f"Python {platform.python_version()}, highest load average seen {load:.1f}  ")  # fmt: skip
    print(f"Model: MarianMTModel, opus-mt base size (512/6+6/8/2048, vocab {VOCAB}); "
          f"single = one {WORDS_PER_MESSAGE}-word message "
          f"(~{base['tokens_in_single']:.0f} tokens in and out); "
          f"batch = {BATCH} sentences; greedy, fixed output length; {SPLIT} = the message cut into "
          "sentences by the engine's splitter and decoded as one batch, "
          "with the engine's default beam size\n")  # fmt: skip
    if load > 0.5:
        print(f"**Other work was running** (load average up to {load:.1f}): absolute wall-clock figures "
              "are inflated; the runtimes alternated part by part, so the ratios are the fairer "
              "reading.\n")  # fmt: skip
    print("| runtime | single p50 ms | single p95 ms | single CPU ms | single msg/s | batch p95 ms "
          "| batch sent/s | peak RSS MB | speed-up single / batch "
          "| same output as transformers |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    for runtime, r in results.items():
        if runtime == SPLIT:
            same_output = "n/a (other segmentation)"
        else:
            pairs = list(zip(r["outputs"], base["outputs"], strict=True))
            same = sum(a == b for a, b in pairs) / len(pairs)
            matching = sum(x == y for a, b in pairs for x, y in zip(a, b, strict=True))
            same_output = f"{same:.0%} of messages, {matching / sum(len(a) for a, _ in pairs):.0%} of tokens"
        batch = f"{r['batch_p95_ms']:.0f} | {r['batch_sent_per_s']:.1f}" if r["batch_sent_per_s"] else "- | -"
        batch_speedup = (
            f"{r['batch_sent_per_s'] / base['batch_sent_per_s']:.1f}x" if r["batch_sent_per_s"] else "-"
        )
        print(
            f"| {runtime} | {r['single_p50_ms']:.0f} | {r['single_p95_ms']:.0f} | {r['single_cpu_ms']:.0f} "
            f"| {r['single_sent_per_s']:.1f} | {batch} | {r['peak_rss_mb']:.0f} "
            f"| {r['single_sent_per_s'] / base['single_sent_per_s']:.1f}x / {batch_speedup} | {same_output} |"
        )


if __name__ == "__main__":
    sys.exit(main())
