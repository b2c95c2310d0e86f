"""The feeling detector: its answers, its commands, its training, and its figure on GoEmotions' dev set."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from makegood.cases.models import Feeling as CaseFeeling
from makegood.feelings import FEELINGS, Detector, name_feeling, name_feelings
from makegood.feelings.evaluation import evaluate
from makegood.feelings.goemotions import (
    Example,
    feelings_of,
    read_examples,
    single_label,
    single_label_shades,
)
from makegood.feelings.lexicon import CUES, CueMatcher

DEV_TSV = Path(settings.BASE_DIR).parent / "shared" / "data" / "goemotions" / "dev.tsv"
# The issue's target; the shipped model scores 0.5518 (`bench/feelings.py`).
DEV_MACRO_F1_FLOOR = 0.55


# What it names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This is outrageous, I am furious", "angry"),
        ("Disgusting service, you people are thieves!", "angry"),
        ("This is so annoying, the app keeps crashing", "frustrated"),
        ("I waited three weeks and nobody called me back. This is ridiculous.", "frustrated"),
        ("Honestly a bit disappointed, I expected better from you.", "disappointed"),
        ("I'm worried my card was charged twice", "anxious"),
        ("I'm so nervous about the surgery tomorrow", "anxious"),
        ("I'm scared someone has access to my account", "scared"),
        ("My dog died last week and I can't stop crying", "sad"),
        ("I don't understand why I was charged this fee, can you explain?", "confused"),
        ("thank you so much, you saved my day", "grateful"),
        ("The parcel arrived on Tuesday.", "neutral"),
    ],
)
def test_the_detector_names_an_obvious_feeling(text: str, expected: str) -> None:
    assert name_feeling(text).feeling == expected


def test_no_worries_is_not_a_worry_but_thanks_still_count() -> None:
    matcher = CueMatcher(CUES)

    assert matcher.count("no worries, thanks!") == {"grateful": 1}
    assert matcher.count("i'm not really angry") == {}
    assert matcher.count("i am furious, this is outrageous") == {"angry": 2}


ODD_TEXTS = [
    "😡😡😡",
    "?!",
    "\x00\x01\x7f",
    "\ufffd\ufffd",
    "word " * 5000,
    "A" * 20_000,
    "I'm worried\u2028and scared\x0bof this",
    "[NAME] said what?",
]


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_any_text_gets_a_known_feeling_and_a_confidence_between_0_and_1(text: str) -> None:
    named = name_feeling(text)

    assert named.feeling in FEELINGS
    assert 0.0 <= named.confidence <= 1.0


def test_a_blank_text_is_neutral_with_full_confidence() -> None:
    assert [(n.feeling, n.confidence) for n in name_feelings(["", "   \t "])] == [("neutral", 1.0), ("neutral", 1.0)]


def test_naming_a_batch_keeps_the_order_and_agrees_with_one_at_a_time() -> None:
    texts = ["thank you so much!", "I am absolutely furious", "", "I'm confused, which form do I need?"]

    assert name_feelings(texts) == [name_feeling(t) for t in texts]
    assert [n.feeling for n in name_feelings(texts)] == ["grateful", "angry", "neutral", "confused"]


def test_the_detector_names_exactly_the_feelings_a_case_can_store() -> None:
    assert list(FEELINGS) == list(CaseFeeling.values)


def test_the_confidence_is_the_probability_of_the_feeling_named() -> None:
    from makegood.feelings import detector

    model = detector()
    probabilities = model.probabilities("I'm worried my card was charged twice")

    assert probabilities.sum() == pytest.approx(1.0, abs=1e-6)
    named = model.name("I'm worried my card was charged twice")
    assert named.confidence == pytest.approx(float(probabilities.max()), abs=1e-4)
    assert FEELINGS[int(probabilities.argmax())] == named.feeling


def test_a_feeling_scores_as_the_best_of_its_shades_plus_its_offset() -> None:
    feelings = ("angry", "neutral")
    # Columns: angry's two shades ("furious" and "gross"), neutral's one; deliberately not in order.
    model = Detector(
        word_vocabulary=["furious", "gross"],
        word_idf=np.ones(2),
        char_vocabulary=[],
        char_idf=np.ones(0),
        cue_feelings=[],
        cues={},
        feelings=feelings,
        columns=["angry", "neutral", "angry"],
        weights=np.array([[2.0, 0.0, -1.0], [-1.0, 0.0, 3.0]]),
        intercepts=np.array([0.0, 0.5, 0.0]),
        offsets=np.array([-0.25, 0.0]),
        temperature=1.0,
    )

    assert model.scores("furious").tolist() == [2.0 - 0.25, 0.5]
    assert model.scores("gross").tolist() == [3.0 - 0.25, 0.5]
    assert model.scores("calm").tolist() == [0.0 - 0.25, 0.5]
    assert [model.name(t).feeling for t in ("gross", "calm")] == ["angry", "neutral"]


def test_a_model_whose_columns_leave_a_feeling_out_is_refused() -> None:
    with pytest.raises(ValueError, match="miss"):
        Detector(
            word_vocabulary=["a"], word_idf=np.ones(1), char_vocabulary=[], char_idf=np.ones(0),
            cue_feelings=[], cues={}, feelings=("angry", "neutral"), columns=["neutral"],
            weights=np.zeros((1, 1)), offsets=np.zeros(2), temperature=1.0,
        )  # fmt: skip


# GoEmotions, mapped as MAPPING.md says --------------------------------------------------------------


def test_labels_map_to_feelings_and_other_labels_count_as_neutral() -> None:
    assert feelings_of(["anger"]) == {"angry"}
    assert feelings_of(["disgust"]) == {"angry"}
    assert feelings_of(["disapproval"]) == {"frustrated"}
    assert feelings_of(["grief"]) == {"sad"}
    assert feelings_of(["joy"]) == {"neutral"}
    assert feelings_of(["neutral"]) == {"neutral"}
    # A row keeps its non-neutral feelings...
    assert feelings_of(["joy", "anger"]) == {"angry"}
    assert feelings_of(["anger", "disgust"]) == {"angry"}
    # ...and one that still has several is left out of single-label evaluation.
    assert feelings_of(["anger", "annoyance"]) == {"angry", "frustrated"}


def test_a_row_has_the_shades_of_its_labels_that_map_to_its_feelings() -> None:
    assert Example("x", frozenset({"angry"}), ("anger", "disgust")).shades == {"anger", "disgust"}
    assert Example("x", frozenset({"angry"}), ("anger", "joy")).shades == {"anger"}  # joy's neutral is dropped
    assert Example("x", frozenset({"neutral"}), ("joy", "curiosity")).shades == {"positive", "wondering"}
    assert Example("x", frozenset({"neutral"}), ("neutral",)).shades == {"neutral"}
    assert Example("x", frozenset({"grateful"}), ("gratitude",)).shades == {"grateful"}
    assert Example("x", frozenset({"sad"})).shades == {"sad"}  # no labels: the feeling is its own shade


def test_a_goemotions_file_is_read_with_its_malformed_rows_skipped(tmp_path: Path) -> None:
    tsv = tmp_path / "rows.tsv"
    tsv.write_bytes(
        b"I am so angry\t2\ta1\n"
        b"thanks and yay\t15,17\ta2\n"
        b"angry and annoyed\t2,3\ta3\n"
        b"no label column\n"
        b"bad ids\tx,y\ta4\n"
        b"id out of range\t99\ta5\n"
        b"\t27\ta6\n"
        b"caf\xe9 is fine\t27\ta7\r\n"
    )

    texts, feelings = single_label(read_examples(tsv))

    assert texts == ["I am so angry", "thanks and yay", "caf\ufffd is fine"]
    assert feelings == ["angry", "grateful", "neutral"]
    assert single_label_shades(read_examples(tsv)) == (texts, feelings, [{"anger"}, {"grateful"}, {"neutral"}])


def test_macro_f1_is_the_mean_over_all_nine_feelings() -> None:
    result = evaluate(["angry", "angry", "neutral", "sad"], ["angry", "neutral", "neutral", "sad"])

    angry = next(s for s in result.per_feeling if s.feeling == "angry")
    assert (angry.precision, angry.recall, angry.support) == (1.0, 0.5, 2)
    # angry 2/3, neutral 2/3, sad 1; the six feelings never seen nor named count as 0.
    assert result.macro_f1 == pytest.approx((2 / 3 + 2 / 3 + 1) / 9)
    assert result.accuracy == 0.75


# makegood name_feelings ---------------------------------------------------------------------------


def test_name_feelings_prints_one_feeling_and_confidence_per_input_line_in_order() -> None:
    stdin = io.BytesIO(
        b"thank you so much, you saved my day\n"
        b"\n"
        b"I am furious\r\n"
        b"caf\xe9 \xff\xfe broken bytes\n"
        b"one line \xe2\x80\xa8 with a unicode line separator\x0b and a vertical tab\n"
        b"last line without a newline"
    )
    out = io.StringIO()

    call_command("name_feelings", stdin=stdin, stdout=out)

    lines = out.getvalue().splitlines()
    assert len(lines) == 6
    rows = [line.split("\t") for line in lines]
    assert all(len(row) == 2 and row[0] in FEELINGS and 0.0 <= float(row[1]) <= 1.0 for row in rows)
    assert rows[0][0] == "grateful"
    assert rows[1] == ["neutral", "1.0000"]
    assert rows[2][0] == "angry"


def test_name_feelings_reads_standard_input_of_a_real_process() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "makegood.settings_test", "SECRET_KEY": "test"}
    done = subprocess.run(
        [sys.executable, "-m", "makegood.cli", "name_feelings"],
        input=b"I'm worried my card was charged twice\n\n\xff\n",
        capture_output=True,
        env=env,
        cwd=settings.BASE_DIR,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr.decode(errors="replace")
    lines = done.stdout.decode().splitlines()
    assert [line.split("\t")[0] for line in lines] == ["anxious", "neutral", "neutral"]


# makegood train_feelings --------------------------------------------------------------------------

SYNTHETIC = {
    2: ["I am furious about {}", "this {} makes me so angry", "outrageous {}, I am livid"],  # anger
    11: ["the {} is disgusting", "gross, that {} is vile", "what a revolting {}"],  # disgust: angry too
    3: ["the {} keeps breaking, so annoying", "ugh, {} again, ridiculous", "annoyed with the {}"],  # annoyance
    9: ["the {} was a letdown", "disappointed by the {}", "I expected better from the {}"],  # disappointment
    19: ["I am worried about the {}", "nervous about the {}", "anxious the {} will fail"],  # nervousness
    14: ["I am scared of the {}", "the {} terrifies me", "afraid of the {}"],  # fear
    25: ["the {} makes me sad", "crying over the {}", "heartbroken about the {}"],  # sadness
    6: ["confused by the {}?", "I don't understand the {}", "what does the {} mean?"],  # confusion
    15: ["thank you for the {}", "thanks so much for the {}", "grateful for the {}"],  # gratitude
    27: ["the {} arrived on Monday", "the {} is blue", "my {} is in the kitchen"],  # neutral
}
THINGS = ["parcel", "invoice", "sofa"]


def _synthetic_tsv(path: Path) -> Path:
    lines = [
        f"{template.format(thing)}\t{label}\tid{label}{i}{j}"
        for label, templates in SYNTHETIC.items()
        for i, template in enumerate(templates)
        for j, thing in enumerate(THINGS)
    ]
    path.write_text("\n".join(lines) + "\nbroken row\n", encoding="utf-8")
    return path


def test_training_on_a_small_file_writes_a_model_that_loads_and_names_feelings(tmp_path: Path) -> None:
    tsv = _synthetic_tsv(tmp_path / "train.tsv")
    first, second = tmp_path / "one.json.gz", tmp_path / "two.json.gz"

    out = io.StringIO()
    call_command("train_feelings", train=tsv, output=first, folds=3, stdout=out)
    call_command("train_feelings", train=tsv, output=second, folds=3, stdout=io.StringIO())

    assert "Wrote" in out.getvalue()
    assert first.read_bytes() == second.read_bytes()  # deterministic
    model = Detector.load(first)
    assert model.info["rows"]["angry"] == 18
    assert model.columns.count("angry") == 2  # its shades: anger and disgust
    assert {"anger", "disgust", "neutral"} <= set(model.info["shades"])
    assert model.info["train_file"] == "train.tsv"
    assert model.name("thank you for the sofa").feeling == "grateful"
    assert model.name("I am furious about the parcel").feeling == "angry"
    named = model.name("something else entirely")
    assert named.feeling in FEELINGS and 0.0 <= named.confidence <= 1.0


def test_training_without_a_training_file_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"No training file at .*missing\.tsv"):
        call_command("train_feelings", train=tmp_path / "missing.tsv", output=tmp_path / "m.json.gz")
    assert not (tmp_path / "m.json.gz").exists()


def test_training_on_a_file_with_a_single_feeling_is_refused(tmp_path: Path) -> None:
    tsv = tmp_path / "one.tsv"
    tsv.write_text("thanks\t15\ta\nthank you\t15\tb\n", encoding="utf-8")

    with pytest.raises(CommandError, match="at least two different feelings"):
        call_command("train_feelings", train=tsv, output=tmp_path / "m.json.gz")
    assert not (tmp_path / "m.json.gz").exists()


# The shipped model on GoEmotions' dev set ------------------------------------------------------------


def test_the_shipped_model_reaches_its_macro_f1_on_the_goemotions_dev_set() -> None:
    if not DEV_TSV.is_file():
        pytest.skip(f"GoEmotions' dev set is not at {DEV_TSV} (../shared is absent): nothing to evaluate.")
    texts, truth = single_label(read_examples(DEV_TSV))

    result = evaluate(truth, [n.feeling for n in name_feelings(texts)])

    assert len(texts) > 5000
    assert result.macro_f1 >= DEV_MACRO_F1_FLOOR, f"macro-F1 {result.macro_f1:.4f}"
