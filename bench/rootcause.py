"""The root-cause suggester and the history import: `.venv/bin/python bench/rootcause.py`.

1. Replays `../shared/data/cfpb/complaints_sample.csv` in date order: the Issue is the cause, the
   narrative the text; trains on the earlier 70% of the narratives and predicts the later 30%.
   Prints top-1, top-3 and macro-F1 for the shipped method (makegood/causes/training.py) and, in
   the same run, for a plain TF-IDF + logistic-regression baseline (scikit-learn's defaults), the
   calibration of the shipped probabilities (expected calibration error, before and after the
   temperature fitted on the newest training cases), and milliseconds per suggestion (one text
   at a time, one thread). Targets: top-1 at least 5 points above the baseline, < 20 ms.
2. Imports the whole sample (6,623 rows) into a fresh SQLite database with the bulk import path
   (makegood/history/importer.py) and prints rows per second. Target: >= 2,000 rows/s.

Without `../shared` it says so and exits 0.
"""

from __future__ import annotations

import csv
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"  # one core, before numpy loads

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402

# ../shared beside the project (as in CI); MAKEGOOD_SHARED names another place (a worktree's).
SHARED = Path(os.environ.get("MAKEGOOD_SHARED") or ROOT.parent / "shared")
SAMPLE = SHARED / "data" / "cfpb" / "complaints_sample.csv"
TRAIN_SHARE = 0.7
TARGET_GAIN = 0.05
TARGET_MS = 20.0
TARGET_ROWS_PER_S = 2000.0
CALIBRATION_SHARE = 0.15  # the newest part of the training cases, as the product holds out


def load() -> list[dict[str, str]]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Consumer complaint narrative"].strip()]
    rows.sort(key=lambda r: (datetime.strptime(r["Date received"], "%Y/%m/%d"), int(r["Complaint ID"])))
    return rows


def scores(name: str, classes: np.ndarray, probabilities: np.ndarray, truth: list[str]) -> float:
    order = np.argsort(-probabilities, axis=1, kind="stable")
    top = classes[order[:, :3]]
    top1 = float(np.mean(top[:, 0] == np.array(truth)))
    top3 = float(np.mean([t in row for t, row in zip(truth, top, strict=True)]))
    macro = f1_score(truth, list(top[:, 0]), average="macro", labels=sorted(set(truth)), zero_division=0)
    print(f"{name:<34} top-1 {top1:6.1%}   top-3 {top3:6.1%}   macro-F1 {macro:.3f}")
    return top1


def ece(classes: np.ndarray, probabilities: np.ndarray, truth: list[str], bins: int = 10) -> float:
    confidence = probabilities.max(axis=1)
    correct = classes[probabilities.argmax(axis=1)] == np.array(truth)
    total = 0.0
    for low in np.linspace(0, 1, bins, endpoint=False):
        inside = (confidence > low) & (confidence <= low + 1 / bins)
        if inside.any():
            total += inside.mean() * abs(confidence[inside].mean() - correct[inside].mean())
    return float(total)


def suggester() -> tuple[float, float]:
    from makegood.causes.textmodel import MAX_CHARS, Trained, fit, fit_temperature

    rows = load()
    cut = int(len(rows) * TRAIN_SHARE)
    train, test = rows[:cut], rows[cut:]
    x = [r["Consumer complaint narrative"] for r in train]
    y = [r["Issue"] for r in train]
    tx = [r["Consumer complaint narrative"] for r in test]
    ty = [r["Issue"] for r in test]
    print(
        f"CFPB replay: {len(rows)} narratives, {len(set(y))} issues in training; train {len(train)} "
        f"({train[0]['Date received']} to {train[-1]['Date received']}), test {len(test)} "
        f"(to {test[-1]['Date received']})"
    )

    vectorizer = TfidfVectorizer()
    baseline = LogisticRegression(max_iter=1000).fit(vectorizer.fit_transform(x), y)
    base_top1 = scores(
        "baseline: TF-IDF + logistic reg.", baseline.classes_, baseline.predict_proba(vectorizer.transform(tx)), ty
    )

    started = time.perf_counter()
    calibration_cut = int(len(x) * (1 - CALIBRATION_SHARE))
    held = Trained(fit(x[:calibration_cut], y[:calibration_cut]), 1.0)
    temperature = fit_temperature(held, x[calibration_cut:], y[calibration_cut:])
    shipped = Trained(fit(x, y), temperature)
    train_s = time.perf_counter() - started
    classes, probabilities = shipped.probabilities(tx)
    top1 = scores("shipped: words + characters, LR", classes, probabilities, ty)
    raw_classes, raw = Trained(shipped.pipeline, 1.0).probabilities(tx)
    print(
        f"calibration (ECE, 10 bins): {ece(raw_classes, raw, ty):.3f} raw, {ece(classes, probabilities, ty):.3f} "
        f"with the temperature {temperature:.2f} fitted on the newest {CALIBRATION_SHARE:.0%} of training; "
        f"training {train_s:.1f} s"
    )
    for text in tx[:20]:
        shipped.probabilities([text])
    spent, cpu = [], []
    for text in tx:
        start, start_cpu = time.perf_counter(), time.process_time()
        _classes, p = shipped.probabilities([text[:MAX_CHARS]])
        np.argsort(-p[0])[:3]
        spent.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    spent.sort()
    cpu.sort()
    median, p95 = statistics.median(spent), spent[int(0.95 * (len(spent) - 1))]
    gain = top1 - base_top1
    print(
        f"top-1 gain over the baseline: {gain * 100:+.1f} points (target >= +{TARGET_GAIN * 100:.0f}): "
        f"{'met' if gain >= TARGET_GAIN else 'NOT MET'}"
    )
    print(
        f"per suggestion: median {median:.2f} ms, p95 {p95:.2f} ms, mean {statistics.fmean(spent):.2f} ms "
        f"(target < {TARGET_MS:.0f} ms): {'met' if p95 < TARGET_MS else 'NOT MET'}; CPU time per suggestion "
        f"median {statistics.median(cpu):.2f} ms, p95 {cpu[int(0.95 * (len(cpu) - 1))]:.2f} ms; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    return gain, p95


def import_speed() -> float:
    folder = tempfile.mkdtemp(prefix="mg-rootcause-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "makegood.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from makegood.history.importer import csv_rows, history_import

    mapping = {
        "received_at": "Date received",
        "story": "Consumer complaint narrative",
        "subject": "Sub-issue",
        "external_id": "Complaint ID",
        "root_cause": "Issue",
    }
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        _header, rows = csv_rows(handle)
        started, started_cpu = time.perf_counter(), time.process_time()
        report = history_import(rows, mapping)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    rate = report.total / elapsed
    print(
        f"import (SQLite, bulk path): {report.imported} of {report.total} rows in {elapsed:.2f} s "
        f"= {rate:,.0f} rows/s, "
        f"{report.rejected_count} rejected (target >= {TARGET_ROWS_PER_S:,.0f} rows/s): "
        f"{'met' if rate >= TARGET_ROWS_PER_S else 'NOT MET'}; {report.total / cpu:,.0f} rows per CPU-second "
        f"(load average {os.getloadavg()[0]:.1f})"
    )
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        _header, rows = csv_rows(handle)
        started = time.perf_counter()
        again = history_import(rows, mapping)
        elapsed = time.perf_counter() - started
    print(f"re-import of the same file: {again.imported} created, {again.already_there} already there, {elapsed:.2f} s")
    return rate


def main() -> int:
    if not SAMPLE.exists():
        print(f"{SAMPLE} is not there (../shared is absent): nothing to measure.")
        return 0
    suggester()
    import_speed()
    return 0


if __name__ == "__main__":
    sys.exit(main())
