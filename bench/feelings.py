"""The feeling detector's quality and speed: `.venv/bin/python bench/feelings.py [--dev PATH]`.

Prints the macro-F1 over the nine feelings on GoEmotions' dev set mapped as `MAPPING.md` says
(single-label rows only), each feeling's precision, recall, F1 and support, and the time to name the
feeling of one message on one thread: the dev set's short comments and, when the CFPB sample is
there, real complaint narratives (much longer). Targets: macro-F1 >= 0.60, < 5 ms per message.
Then a fixed sample of 50 CFPB complaint narratives with the feeling named for each, to read whether
the named feelings make sense on complaints (`--sample-out PATH` also writes it as a Markdown table).
Without `../shared` it says so and exits 0.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"  # one core, before numpy loads

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from threadpoolctl import threadpool_limits  # noqa: E402

from makegood.feelings import MODEL_PATH, Detector  # noqa: E402
from makegood.feelings.evaluation import evaluate  # noqa: E402
from makegood.feelings.goemotions import read_examples, single_label  # noqa: E402

SHARED = ROOT.parent / "shared"
TARGET_F1 = 0.60
SAMPLE = 50
SAMPLE_SEED = 16  # the number: the same 50 narratives every run
EXCERPT = 220
TARGET_MS = 5.0


def timings_ms(model: Detector, texts: list[str]) -> list[float]:
    for text in texts[:50]:  # warm up
        model.name(text)
    spent = []
    for text in texts:
        started = time.perf_counter()
        model.name(text)
        spent.append((time.perf_counter() - started) * 1000)
    return spent


def describe(spent: list[float]) -> str:
    ordered = sorted(spent)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"mean {statistics.fmean(spent):.3f} ms, median {statistics.median(spent):.3f} ms, p99 {p99:.3f} ms"


def narratives(path: Path, limit: int = 500) -> list[str]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        texts = [row.get("Consumer complaint narrative", "") for row in csv.DictReader(handle)]
    return [t for t in texts if t.strip()][:limit]


def excerpt(text: str, limit: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def sample_lines(model: Detector, texts: list[str], size: int) -> list[tuple[str, float, str]]:
    """A fixed random sample of the narratives: (feeling, confidence, excerpt) each."""
    chosen = random.Random(SAMPLE_SEED).sample(range(len(texts)), min(size, len(texts)))
    named = [(model.name(texts[i]), texts[i]) for i in sorted(chosen)]
    return [(n.feeling, n.confidence, excerpt(text)) for n, text in named]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dev", type=Path, default=SHARED / "data" / "goemotions" / "dev.tsv")
    parser.add_argument("--model", type=Path, default=MODEL_PATH)
    parser.add_argument("--cfpb", type=Path, default=SHARED / "data" / "cfpb" / "complaints_sample.csv")
    parser.add_argument("--sample", type=int, default=SAMPLE, help="CFPB narratives to show with their feeling")
    parser.add_argument("--sample-out", type=Path, default=None, help="also write the sample as a Markdown table")
    args = parser.parse_args()
    if not args.dev.is_file():
        print(f"No dev set at {args.dev} (../shared is missing?): nothing to measure.")
        return 0

    with threadpool_limits(limits=1):
        started = time.perf_counter()
        model = Detector.load(args.model)
        load_ms = (time.perf_counter() - started) * 1000

        texts, truth = single_label(read_examples(args.dev))
        named = [model.name(text) for text in texts]
        result = evaluate(truth, [n.feeling for n in named])
        spent = timings_ms(model, texts)
        long_texts = narratives(args.cfpb)
        long_spent = timings_ms(model, long_texts) if long_texts else []
        sample = sample_lines(model, long_texts, args.sample) if long_texts and args.sample > 0 else []

    size_mb = args.model.stat().st_size / 1e6
    print(f"Feeling detector: {args.model.name} ({size_mb:.1f} MB, loaded in {load_ms:.0f} ms)")
    print(f"Dev set: {args.dev} ({len(texts)} single-label rows after mapping)")
    print()
    print(f"{'feeling':<14}{'precision':>10}{'recall':>8}{'F1':>8}{'support':>9}")
    for score in result.per_feeling:
        print(f"{score.feeling:<14}{score.precision:>10.3f}{score.recall:>8.3f}{score.f1:>8.3f}{score.support:>9}")
    print()
    mean_confidence = statistics.fmean(n.confidence for n in named)
    print(f"accuracy {result.accuracy:.3f}; mean confidence {mean_confidence:.3f}")
    verdict = "met" if result.macro_f1 >= TARGET_F1 else "NOT met"
    print(f"macro-F1 {result.macro_f1:.4f} (target >= {TARGET_F1}: {verdict})")
    mean_ms = statistics.fmean(spent)
    verdict = "met" if mean_ms < TARGET_MS else "NOT met"
    print(f"time per message, one thread, {len(spent)} dev comments: {describe(spent)}", end=" ")
    print(f"(target < {TARGET_MS} ms: {verdict})")
    if long_spent:
        mean_chars = statistics.fmean(len(t) for t in long_texts)
        print(
            f"time per CFPB complaint narrative ({len(long_spent)}, {mean_chars:.0f} characters on average):", end=" "
        )
        print(describe(long_spent))
    if sample:
        counts = ", ".join(f"{feeling} {n}" for feeling, n in Counter(f for f, _, _ in sample).most_common())
        print()
        print(f"A sample of {len(sample)} CFPB complaint narratives (seed {SAMPLE_SEED}), the feeling named: {counts}")
        for number, (feeling, confidence, text) in enumerate(sample, 1):
            print(f"{number:>3}. {feeling} ({confidence:.2f}): {text}")
    if sample and args.sample_out is not None:
        rows = ["| # | feeling (confidence) | narrative (start) |", "| --- | --- | --- |"]
        for number, (feeling, confidence, text) in enumerate(sample, 1):
            cell = text.replace("|", "\\|")
            rows.append(f"| {number} | {feeling} ({confidence:.2f}) | {cell} |")
        args.sample_out.write_text("\n".join(rows) + "\n", encoding="utf-8")
        print(f"(written to {args.sample_out})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
