"""`makegood train_feelings [--train PATH] [--output PATH] [--folds N]`: train the feeling detector.

Reads a GoEmotions-format TSV (default `../shared/data/goemotions/train.tsv` beside the project),
maps its labels to Makegood's feelings as `MAPPING.md` says (and to their shades, see `goemotions.py`),
trains on the single-label rows and writes the model (default: the one shipped in
`makegood/feelings/`). Deterministic.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from makegood.feelings import MODEL_PATH
from makegood.feelings.goemotions import read_examples, single_label_shades


def default_train_path() -> Path:
    return Path(settings.BASE_DIR).parent / "shared" / "data" / "goemotions" / "train.tsv"


class Command(BaseCommand):
    help = "Train the feeling detector on GoEmotions (mapped as MAPPING.md says) and write its model file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--train", type=Path, default=None, help="GoEmotions-format TSV to train on.")
        parser.add_argument("--output", type=Path, default=MODEL_PATH, help="Where to write the model.")
        parser.add_argument("--folds", type=int, default=5, help="Folds for tuning offsets and calibration.")

    def handle(self, *args: Any, **options: Any) -> None:
        from makegood.feelings.training import train  # scikit-learn only when training

        path: Path = options["train"] or default_train_path()
        if not path.is_file():
            raise CommandError(f"No training file at {path}: pass --train PATH (a GoEmotions-format TSV).")
        if options["folds"] < 1:
            raise CommandError("--folds must be at least 1 (1 skips tuning and calibration).")
        started = time.monotonic()
        texts, feelings, shades = single_label_shades(read_examples(path))
        if not texts:
            raise CommandError(f"{path} has no usable rows (text<TAB>label ids<TAB>id).")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        try:
            detector = train(
                texts,
                feelings,
                shades=shades,
                folds=options["folds"],
                log=lambda line: self.stdout.write(line),
                info={"train_file": path.name, "train_sha256": digest},
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        output: Path = options["output"]
        size = detector.save(output)
        elapsed = time.monotonic() - started
        self.stdout.write(f"Wrote {output} ({size / 1e6:.1f} MB) in {elapsed:.0f} s.")
