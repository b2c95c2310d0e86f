"""The three-option ranking, as pure functions: its guarantees, checked on generated catalogs."""

from dataclasses import replace
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from makegood.cases.models import Channel, Feeling, LossKind
from makegood.remedies.entries import CatalogEntry
from makegood.remedies.models import Effort, RemedyKind
from makegood.remedies.options import Context, Option, best_per_kind, evaluate, rank_exhaustively
from makegood.remedies.research import MONEY_KINDS
from makegood.remedies.scores import WEIGHTS, Catalog, kind_bonuses, loss_fit
from makegood.remedies.sizing import sizing_for

KINDS = list(RemedyKind.values)
CHANNELS = list(Channel.values)


def offered(entry, ctx) -> Option:
    """The entry's evaluation, which these tests expect to be an option and not a refusal."""
    result = evaluate(entry, ctx)
    assert isinstance(result, Option), result
    return result


def money(lo: int, hi: int) -> st.SearchStrategy[Decimal]:
    return st.integers(lo, hi).map(lambda n: Decimal(n) / 100)


@st.composite
def entries(draw, ident: int) -> CatalogEntry:
    variable = draw(st.booleans())
    lo = draw(money(100, 5000))
    return CatalogEntry(
        id=ident,
        kind=draw(st.sampled_from(KINDS)),
        name=f"remedy {ident}",
        currency=draw(st.sampled_from(["USD"] * 9 + ["EUR"])),
        is_variable=variable,
        cost=Decimal(0) if variable else draw(money(0, 10000)),
        value=Decimal(0) if variable else draw(money(0, 20000)),
        cost_per_unit=draw(st.sampled_from(["0", "0.3", "0.35", "0.4", "0.85", "1"]).map(Decimal)),
        value_per_unit=draw(st.sampled_from(["0.5", "0.7", "0.95", "1", "1.2"]).map(Decimal)),
        min_amount=lo if variable else None,
        max_amount=lo * draw(st.sampled_from([1, 3, 20, 100])) if variable else None,
        max_per_case=draw(st.sampled_from([None, None, 1, 2])),
        needs_order_reference=draw(st.booleans()),
        channels=frozenset(draw(st.sampled_from([[], [], ["web", "email"], ["in_person"], ["phone", "chat"]]))),
        immediate=draw(st.booleans()),
        effort=draw(st.sampled_from(Effort.values)),
        loss_kinds=frozenset(draw(st.sampled_from([[], [], [], ["money"], ["ignored", "time"]]))),
    )


@st.composite
def catalogs(draw) -> list[CatalogEntry]:
    size = draw(st.integers(0, 30))
    return [draw(entries(i + 1)) for i in range(size)]


EXPECTATIONS = ["", "I want my money back", "A replacement by Friday", "Someone should call me and apologise", "free"]


@st.composite
def contexts(draw, catalog: list[CatalogEntry]) -> Context:
    loss = draw(st.one_of(st.none(), money(100, 50000)))
    minimum = draw(st.one_of(st.none(), st.none(), money(100, 30000)))
    demand = draw(st.sampled_from(["", *KINDS]))
    ids = [e.id for e in catalog]
    return Context(
        currency="USD",
        channel=draw(st.sampled_from(CHANNELS)),
        allowed_kinds=frozenset(draw(st.sampled_from([KINDS, KINDS, KINDS[:5], KINDS[4:], []]))),
        max_cost=draw(money(0, 30000)),
        loss_kind=draw(st.sampled_from(["", *LossKind.values])),
        sizing=sizing_for(
            currency="USD",
            loss=loss,
            severe=draw(st.booleans()),
            at_fault=draw(st.booleans()),
            repeat=draw(st.booleans()),
            minimum=minimum,
        ),
        granted_counts={i: draw(st.integers(0, 2)) for i in ids if draw(st.booleans())},
        bonuses=kind_bonuses(
            expectation=draw(st.sampled_from(EXPECTATIONS)),
            feeling=draw(st.sampled_from(["", *Feeling.values])),
            demand_kind=demand,
        ),
    )


@st.composite
def scenarios(draw) -> tuple[list[CatalogEntry], Context]:
    catalog = draw(catalogs())
    return catalog, draw(contexts(catalog))


def eligible_kinds(catalog: list[CatalogEntry], ctx: Context) -> set[str]:
    return {e.kind for e in catalog if isinstance(evaluate(e, ctx), Option)}


@settings(max_examples=150, deadline=None)
@given(scenario=scenarios())
def test_three_options_of_different_kinds_whenever_three_kinds_fit(scenario):
    catalog, ctx = scenario
    options = best_per_kind(Catalog(catalog), ctx).options
    fitting = eligible_kinds(catalog, ctx)
    assert len(options) == min(3, len(fitting))
    assert len({o.kind for o in options}) == len(options)


@settings(max_examples=150, deadline=None)
@given(scenario=scenarios())
def test_every_option_can_be_granted_right_now(scenario):
    catalog, ctx = scenario
    by_id = {e.id: e for e in catalog}
    for option in best_per_kind(Catalog(catalog), ctx).options:
        entry = by_id[option.remedy_type_id]
        assert option.cost <= ctx.max_cost
        assert option.kind in ctx.allowed_kinds
        assert option.currency == ctx.currency
        assert not entry.channels or ctx.channel in entry.channels
        assert entry.max_per_case is None or ctx.granted_counts.get(entry.id, 0) < entry.max_per_case
        if entry.is_variable:
            assert entry.min_amount <= option.amount <= entry.max_amount
            assert option.cost == (option.amount * entry.cost_per_unit).quantize(Decimal("0.01"), "ROUND_CEILING")


@settings(max_examples=150, deadline=None)
@given(scenario=scenarios())
def test_options_are_ranked_best_first_and_never_below_the_customers_minimum(scenario):
    catalog, ctx = scenario
    options = best_per_kind(Catalog(catalog), ctx).options
    scores = [o.score for o in options]
    assert scores == sorted(scores, reverse=True)
    for option in options:
        assert abs(option.score - sum(option.components.values())) < 1e-9
        if ctx.sizing.minimum is not None:
            assert option.value >= ctx.sizing.minimum


@settings(max_examples=150, deadline=None)
@given(scenario=scenarios())
def test_money_is_never_sized_above_the_cap(scenario):
    catalog, ctx = scenario
    by_id = {e.id: e for e in catalog}
    sizing = ctx.sizing
    for option in best_per_kind(Catalog(catalog), ctx).options:
        if sizing.cap is not None and (option.kind in MONEY_KINDS or by_id[option.remedy_type_id].is_variable):
            assert option.value <= sizing.cap


@settings(max_examples=150, deadline=None)
@given(scenario=scenarios())
def test_the_early_stopping_search_finds_exactly_what_trying_everything_finds(scenario):
    catalog, ctx = scenario
    assert best_per_kind(Catalog(catalog), ctx).options == rank_exhaustively(catalog, ctx)


@given(
    loss=money(100, 100000),
    severe=st.booleans(),
    at_fault=st.booleans(),
    repeat=st.booleans(),
)
def test_compensation_is_sized_near_the_loss_and_above_it_only_for_aggravated_failures(loss, severe, at_fault, repeat):
    sizing = sizing_for(currency="USD", loss=loss, severe=severe, at_fault=at_fault, repeat=repeat)
    assert sizing.target is not None and sizing.cap is not None
    aggravated = severe or at_fault or repeat
    if aggravated:
        assert loss < sizing.target <= loss * Decimal("1.5") + Decimal("0.01")
    else:
        assert sizing.target == loss
        assert sizing.cap <= loss * Decimal("1.10")
    assert sizing.cap <= loss * Decimal("1.5")
    # More aggravation never means less.
    more = sizing_for(currency="USD", loss=loss, severe=True, at_fault=True, repeat=True)
    assert more.target >= sizing.target and more.cap >= sizing.cap


@given(loss=money(100, 100000), minimum=money(100, 300000))
def test_the_customers_minimum_lifts_target_and_cap(loss, minimum):
    sizing = sizing_for(currency="USD", loss=loss, minimum=minimum)
    assert sizing.target >= minimum and sizing.cap >= minimum


def fixed(kind: str = RemedyKind.HANDWRITTEN_NOTE, **changes) -> CatalogEntry:
    base = CatalogEntry(
        id=1,
        kind=kind,
        name="x",
        currency="USD",
        is_variable=False,
        cost=Decimal("10.00"),
        value=Decimal("20.00"),
        cost_per_unit=Decimal(0),
        value_per_unit=Decimal(0),
        min_amount=None,
        max_amount=None,
        max_per_case=None,
        needs_order_reference=False,
        channels=frozenset(),
        immediate=False,
        effort=Effort.LOW,
        loss_kinds=frozenset(),
    )
    return replace(base, **changes)


def plain_context(**changes) -> Context:
    base = Context(
        currency="USD",
        channel="web",
        allowed_kinds=frozenset(KINDS),
        max_cost=Decimal("1000"),
        loss_kind=LossKind.IGNORED,
        sizing=sizing_for(currency="USD", loss=Decimal("100.00")),
    )
    return replace(base, **changes)


@given(cost=money(1, 10000), value=money(0, 10000), more=money(1, 10000))
def test_more_value_for_the_same_cost_never_ranks_lower(cost, value, more):
    ctx = plain_context(sizing=sizing_for(currency="USD", loss=Decimal("1000000")))
    low = evaluate(fixed(cost=cost, value=value), ctx)
    high = evaluate(fixed(cost=cost, value=value + more), ctx)
    assume(isinstance(low, Option) and isinstance(high, Option))
    assert isinstance(low, Option) and isinstance(high, Option)
    assert high.score >= low.score


def test_immediate_and_effortless_remedies_are_preferred_by_exactly_their_weights():
    ctx = plain_context()
    slow = offered(fixed(immediate=False, effort=Effort.HIGH), ctx)
    now = offered(fixed(immediate=True, effort=Effort.HIGH), ctx)
    easy = offered(fixed(immediate=True, effort=Effort.NONE), ctx)
    assert now.score - slow.score == WEIGHTS["immediate"]
    assert easy.score - now.score == WEIGHTS["no_effort"]


def test_the_remedy_is_matched_to_the_kind_of_loss():
    refund = fixed(RemedyKind.REFUND_PARTIAL, value=Decimal("10.00"))
    exchange = fixed(RemedyKind.RETURN_EXCHANGE, value=Decimal("10.00"))
    note = fixed(RemedyKind.HANDWRITTEN_NOTE, value=Decimal("10.00"))
    for loss_kind, best in [
        (LossKind.MONEY, refund),
        (LossKind.FAULTY_PRODUCT, exchange),
        (LossKind.IGNORED, note),
    ]:
        ctx = plain_context(loss_kind=loss_kind)
        scores = {e.kind: offered(e, ctx).components["loss_fit"] for e in (refund, exchange, note)}
        assert scores[best.kind] == WEIGHTS["loss_fit"] == max(scores.values())


def test_a_catalog_entry_can_declare_the_losses_it_answers():
    late_checkout = fixed(RemedyKind.COMPLIMENTARY, loss_kinds=frozenset({LossKind.TIME}))
    assert loss_fit(late_checkout, LossKind.TIME) == 1.0
    assert loss_fit(late_checkout, LossKind.MONEY) == 0.0


def test_what_the_customer_asked_for_and_their_feeling_shape_the_ranking():
    bonuses = kind_bonuses(expectation="Honestly I just want a replacement.", feeling=Feeling.CONFUSED)
    assert bonuses[RemedyKind.RETURN_EXCHANGE]["asked_for"] == WEIGHTS["asked_for"]
    assert bonuses[RemedyKind.EXPERT_TIME]["feeling"] == WEIGHTS["feeling"]
    assert bonuses[RemedyKind.COUPON] == {"asked_for": 0.0, "feeling": 0.0}
    assert kind_bonuses(demand_kind=RemedyKind.GIFT_CARD)[RemedyKind.GIFT_CARD]["asked_for"] > 0


def test_a_variable_remedy_is_sized_to_the_target_in_round_amounts():
    coupon = replace(
        fixed(RemedyKind.COUPON),
        is_variable=True,
        cost=Decimal(0),
        value=Decimal(0),
        cost_per_unit=Decimal("0.35"),
        value_per_unit=Decimal("0.70"),
        min_amount=Decimal("5.00"),
        max_amount=Decimal("200.00"),
    )
    ctx = plain_context(
        loss_kind=LossKind.MONEY, sizing=sizing_for(currency="USD", loss=Decimal("70.00")), max_cost=Decimal("50")
    )
    option = offered(coupon, ctx)
    assert (option.amount, option.cost, option.value) == (Decimal("100.00"), Decimal("35.00"), Decimal("70.00"))
    squeezed = offered(coupon, replace(ctx, max_cost=Decimal("30.00")))
    assert (squeezed.amount, squeezed.cost) == (Decimal("85.00"), Decimal("29.75"))
