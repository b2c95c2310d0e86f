"""The suggester: keyword rules from the first day, a model learned from the business's own cases
once it beats them on a time-ordered hold-out, and the two commands."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command

from makegood.cases.models import Case
from makegood.cases.tests.factories import make_case
from makegood.causes.models import CaseCause, Cause, CauseModel, Failure, Source
from makegood.causes.suggester import causes_suggest, model_cache, taxonomy_cache
from makegood.causes.training import MIN_LABELS, cause_model_due, cause_model_train

pytestmark = pytest.mark.django_db

# Three causes whose stories use words no keyword rule knows: only learning can tell them apart.
STORIES = {
    "Supplier shortage or quality": "The {n} saddle shows as available but the maker has none until spring.",
    "Weather": "Hail flattened the outdoor display on day {n} and my bike in the rack got dented during the storm.",
    "Price or fee unexpected": "The invoice for job {n} listed a workshop surcharge nobody mentioned when I booked.",
}


def label_history(per_cause: int = 14) -> dict[str, Cause]:
    """`per_cause` labelled cases of each cause, interleaved over time (oldest first)."""
    causes = {name: Cause.objects.get(name=name) for name in STORIES}
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    i = 0
    for n in range(per_cause):
        for name, story in STORIES.items():
            case = make_case(story=story.format(n=n + 1), received_at=start + timedelta(hours=i))
            CaseCause.objects.create(
                case=case, cause=causes[name], failure=Failure.SYSTEM, received_at=case.received_at
            )
            i += 1
    return causes


def test_with_no_labels_the_keyword_rules_suggest_and_say_so(db):
    suggestions = causes_suggest("The courier says the parcel was delivered but the box never arrived.")
    assert suggestions.source == Source.RULES
    assert suggestions.items[0].label == "Partner or vendor / Courier lost or damaged the delivery"
    assert len(suggestions.items) <= 3
    assert abs(sum(s.probability for s in causes_suggest("rude courier, parcel lost, refund").items) - 1) < 0.35


def test_a_text_no_rule_matches_gets_no_suggestion(db):
    suggestions = causes_suggest("Zzz qqq.")
    assert suggestions.source == Source.NONE
    assert suggestions.items == []


def test_an_administrator_edited_rule_is_used_at_once(db):
    cause = Cause.objects.get(name="Weather")
    cause.keywords = "hailstones"
    cause.save()  # forgets the remembered taxonomy
    assert causes_suggest("Hailstones broke the window display.").items[0].cause_id == cause.pk


def test_below_the_minimum_nothing_is_trained(db):
    assert cause_model_train().trained is False
    assert not CauseModel.objects.exists()
    assert cause_model_due() is False


def test_the_model_learns_the_business_s_causes_and_takes_over_when_it_beats_the_rules(db):
    causes = label_history()
    assert Case.objects.count() >= MIN_LABELS
    assert cause_model_due() is True
    result = cause_model_train()
    assert result.trained and result.model is not None
    model = result.model
    assert model.beats_rules is True
    assert model.model_top1 > model.rules_top1
    assert model.holdout >= 10
    model_cache.clear()
    suggestions = causes_suggest("A hail storm dented the bikes parked outside on day 40.")
    assert suggestions.source == Source.MODEL
    assert suggestions.items[0].cause_id == causes["Weather"].pk
    probabilities = [s.probability for s in suggestions.items]
    assert probabilities == sorted(probabilities, reverse=True)
    assert 0 < sum(probabilities) <= 1.0001


def test_a_model_that_does_not_beat_the_rules_stays_out(db):
    label_history()
    result = cause_model_train()
    CauseModel.objects.filter(pk=result.model.pk).update(beats_rules=False)
    model_cache.clear()
    assert causes_suggest("The courier lost my parcel.").source == Source.RULES


def test_retraining_waits_for_enough_new_labels(db):
    label_history()
    cause_model_train()
    assert cause_model_due() is False


def test_a_retired_cause_is_never_suggested(db):
    causes = label_history()
    cause_model_train()
    weather = causes["Weather"]
    weather.active = False
    weather.save()
    taxonomy_cache.clear()
    model_cache.clear()
    ids = [s.cause_id for s in causes_suggest("A hail storm dented the bikes parked outside.").items]
    assert weather.pk not in ids


def test_train_causes_says_how_the_model_did(db):
    label_history()
    out = io.StringIO()
    call_command("train_causes", stdout=out)
    assert "Trained on 42 cases" in out.getvalue()
    assert "keyword rules top-1" in out.getvalue()


def test_suggest_causes_prints_three_labels_per_line_tab_separated_training_first(db):
    label_history()
    out, err = io.StringIO(), io.StringIO()
    stdin = io.StringIO("Hail dented my bike in the storm.\nThe invoice had a surcharge nobody mentioned.\n")
    call_command("suggest_causes", stdin=stdin, stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    first = lines[0].split("\t")
    assert len(first) == 3
    assert first[0] == "External / Weather"
    assert lines[1].split("\t")[0] == "Policy / Price or fee unexpected"
    assert CauseModel.objects.count() == 1
