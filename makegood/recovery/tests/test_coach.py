"""The reply coach: its rules one by one, its table of examples, and the corpus of real-sounding replies."""

import dataclasses

import pytest

from makegood.accounts.models import Role
from makegood.recovery import coach
from makegood.recovery.coach import EXAMPLES, Finding, Rule, coach_reply
from makegood.recovery.tests.coach_corpus import CORPUS, Reply


def findings(text, rule=None, **flags):
    flags.setdefault("role", Role.FRONTLINE)
    result = coach_reply(text, **flags)
    return [(f.rule, f.excerpt) for f in result.findings if rule is None or f.rule == rule]


def excerpts(text, rule, **flags):
    return [excerpt for _rule, excerpt in findings(text, rule, **flags)]


def describe(pairs):
    return "\n".join(f"    ({rule.value}, {excerpt!r})" for rule, excerpt in pairs) or "    (none)"


# The table of examples in coach.py ------------------------------------------------------------------

EXAMPLE_CASES = [
    pytest.param(rule, example, id=f"{rule.value}-{index}")
    for rule, examples in EXAMPLES.items()
    for index, example in enumerate(examples)
]


@pytest.mark.parametrize(("rule", "example"), EXAMPLE_CASES)
def test_every_example_in_the_rules_table_holds(rule, example):
    got = excerpts(
        example.text,
        rule,
        first_reply=example.first_reply,
        closing=example.closing,
        explanation_requested=example.explanation_requested,
    )

    assert tuple(got) == example.flagged


def test_the_table_has_examples_of_flagging_and_of_leaving_alone_for_every_rule():
    assert set(EXAMPLES) == set(Rule)
    for rule, examples in EXAMPLES.items():
        assert any(example.flagged for example in examples), rule
        assert any(not example.flagged for example in examples), rule


# The corpus ---------------------------------------------------------------------------------------------


def test_the_corpus_is_large_varied_and_has_good_and_bad_replies():
    assert len(CORPUS) >= 60
    assert len({reply.id for reply in CORPUS}) == len(CORPUS)
    businesses = {reply.id.split("-")[0] for reply in CORPUS}
    assert {"retail", "restaurant", "hotel", "airline", "bank", "shop"} <= businesses
    clean = [reply for reply in CORPUS if not reply.expected]
    assert len(clean) >= 20
    assert len(CORPUS) - len(clean) >= 30
    for rule in Rule:
        assert sum(1 for reply in CORPUS for found, _excerpt in reply.expected if found == rule) >= 3, rule
    lengths = sorted(len(reply.text) for reply in CORPUS)
    assert lengths[0] < 40 and lengths[-1] > 400


@pytest.mark.parametrize("reply", [pytest.param(reply, id=reply.id) for reply in CORPUS])
def test_the_coach_finds_exactly_the_expected_findings_in_the_corpus(reply: Reply):
    result = coach_reply(
        reply.text,
        role=Role.FRONTLINE,
        first_reply=reply.first_reply,
        closing=reply.closing,
        explanation_requested=reply.explanation_requested,
    )
    got = [(f.rule, f.excerpt) for f in result.findings]

    expected = list(reply.expected)
    missing = [pair for pair in expected if pair not in got]
    unexpected = [pair for pair in got if pair not in expected]
    assert got == expected, (
        f"{reply.id}\nmissing:\n{describe(missing)}\nunexpected:\n{describe(unexpected)}\ngot:\n{describe(got)}"
    )
    assert result.blocking is reply.says_no
    manager = coach_reply(
        reply.text,
        role=Role.MANAGER,
        first_reply=reply.first_reply,
        closing=reply.closing,
        explanation_requested=reply.explanation_requested,
    )
    assert [(f.rule, f.excerpt) for f in manager.findings] == expected
    assert manager.blocking is False


def test_every_span_in_the_corpus_points_at_its_excerpt():
    for reply in CORPUS:
        for finding in coach_reply(reply.text, role="frontline", first_reply=True).findings:
            assert 0 <= finding.start < finding.end <= len(reply.text)
            assert reply.text[finding.start : finding.end] == finding.excerpt, reply.id
            assert finding.excerpt == finding.excerpt.strip(), reply.id


# Saying no ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We can't do that.", ["can't"]),
        ("We can\u2019t do that.", ["can\u2019t"]),
        ("We CANNOT do that.", ["CANNOT"]),
        ("We can not do that.", ["can not"]),
        ("We cant do that.", ["cant"]),
        ("We won't do that.", ["won't"]),
        ("We will not do that.", ["will not"]),
        ("We wont do that.", ["wont"]),
        ("We are unable to help.", ["unable to"]),
        ("We're not able to help.", ["not able to"]),
        ("That isn\u2019t possible.", ["isn\u2019t possible"]),
        ("That's against policy.", ["against policy"]),
        ("We don't do refunds.", ["We don't do refunds"]),
        ("We do not offer that.", ["We do not offer"]),
        ("Smoking is not allowed.", ["not allowed"]),
        ("That's impossible.", ["impossible"]),
        ("There's nothing we can do.", ["nothing we can do"]),
        ("Unfortunately, we have no rooms.", ["Unfortunately, we", "no rooms"]),
        ("No. Sorry.", ["No"]),
        ("Sorry, no!", ["no"]),
        ("Nope.", ["Nope"]),
        ("Afraid not.", ["Afraid not"]),
        ("We are not in a position to refund that.", ["not in a position to"]),
        ("That option isn't available any more.", ["isn't available any more"]),
        ("That's just how it is.", ["That's just how it is"]),
    ],
)
def test_no_and_its_cousins_are_flagged(text, expected):
    assert excerpts(text, Rule.SAYS_NO) == expected


@pytest.mark.parametrize(
    "text",
    [
        "No problem at all!",
        "No worries, it's sorted.",
        "I can't wait to help.",
        "There's no charge for that.",
        "Nothing wrong with asking.",
        "It won't take long.",
        "I know, not good enough.",
        "Don't worry, it's on us.",
        "No, thank you for telling us!",
        "I can't thank you enough.",
        "You won't be charged.",
        "This won't happen again.",
        "I understand you can't log in.",
        "If we can't repair it, we'll replace it.",
        "We were unable to reach you yesterday.",
        "I know it felt impossible to get through.",
        "There's no need to bring the receipt.",
        "Please let me know.",
        "Your room is ready now.",
        "This is in no way your fault.",
        "We'll refund you in full, no questions asked.",
        "I've booked you a table, no deposit needed.",
        "We never want a guest to feel like that.",
        "I'm sorry you couldn't get through on the phone.",
        "Unfortunately your flight was cancelled, so I've rebooked you.",
        "We don't want you to be out of pocket.",
    ],
)
def test_harmless_phrases_are_not_taken_for_a_no(text):
    assert excerpts(text, Rule.SAYS_NO) == []


def test_a_frontline_employees_no_blocks_sending():
    result = coach_reply("Sorry, we can't refund it. Thank you.", role=Role.FRONTLINE)

    assert result.blocking is True
    [finding] = [f for f in result.findings if f.rule == Rule.SAYS_NO]
    assert finding.severity == "block"
    assert "reword" in finding.message.lower()


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMINISTRATOR, "manager"])
def test_a_managers_no_only_warns(role):
    result = coach_reply("Sorry, we can't refund it. Thank you.", role=role)

    assert result.blocking is False
    assert [f.severity for f in result.findings if f.rule == Rule.SAYS_NO] == ["warn"]


def test_other_findings_never_block_a_frontline_employee():
    text = "Sorry, but the courier lost it. You should have called the courier, it's not my department."

    result = coach_reply(text, role=Role.FRONTLINE, first_reply=True)

    assert {f.rule for f in result.findings} >= {Rule.PASSES_BUCK, Rule.BLAMES, Rule.EXCUSE_AFTER_APOLOGY}
    assert {f.severity for f in result.findings} == {"warn"}
    assert result.blocking is False


@pytest.mark.parametrize(("role", "severity"), [(Role.FRONTLINE, "block"), (Role.MANAGER, "warn")])
def test_a_policy_recital_with_nothing_offered_is_a_no_answered_within_the_rule(role, severity):
    text = "Hi Sam,\n\nStandard delivery is counted in working days from dispatch.\n\nKind regards,\nPriya"

    result = coach_reply(text, role=role, closing=False)

    [finding] = result.findings
    assert (finding.rule, finding.severity, finding.excerpt) == (
        Rule.SAYS_NO,
        severity,
        "Standard delivery is counted in",
    )
    assert finding.suggestion.startswith("Say what you can do within the rule")
    assert result.blocking is (severity == "block")


@pytest.mark.parametrize(
    "offer",
    [
        "I've asked the warehouse to send yours first.",
        "Let me check where yours is.",
        "What's your order number?",
        "DM us your order number and we'll take a look.",
        "I'd be happy to look at your order.",
    ],
)
def test_a_policy_recital_is_context_when_the_reply_offers_something_anywhere(offer):
    recital = "Standard delivery is counted in working days from dispatch."

    assert excerpts(recital, Rule.SAYS_NO) == ["Standard delivery is counted in"]
    assert excerpts(f"{recital} {offer}", Rule.SAYS_NO) == []
    assert excerpts(f"{offer} {recital}", Rule.SAYS_NO) == []


# Passing the buck, blaming ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It's not my department.", ["not my department"]),
        ("You'll have to call the store.", ["You'll have to call"]),
        ("Ask someone else.", ["someone else"]),
        ("Please contact the manufacturer.", ["contact the manufacturer"]),
        ("That's another team.", ["That's another team"]),
        ("Complaints are handled by a different department.", ["handled by a different department"]),
    ],
)
def test_passing_the_buck_is_flagged(text, expected):
    assert excerpts(text, Rule.PASSES_BUCK) == expected


def test_doing_it_yourself_is_not_passing_the_buck():
    assert excerpts("I'll contact the manufacturer and let you know by Friday.", Rule.PASSES_BUCK) == []
    assert excerpts("Do you want to talk to a manager?", Rule.PASSES_BUCK) == []
    assert excerpts("I'll check with the store and call you back.", Rule.PASSES_BUCK) == []
    assert excerpts("The courier will collect the old one on Tuesday.", Rule.PASSES_BUCK) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You should have called us.", ["You should have"]),
        ("You didn't fill in the form.", ["You didn't"]),
        ("That's your fault.", ["your fault"]),
        ("The courier lost it.", ["The courier lost"]),
        ("The warehouse messed up.", ["The warehouse messed up"]),
        ("Honestly, the night shift dropped the ball.", ["the night shift dropped the ball"]),
    ],
)
def test_blaming_the_customer_or_others_is_flagged(text, expected):
    assert excerpts(text, Rule.BLAMES) == expected


@pytest.mark.parametrize(
    "text",
    [
        "It's not your fault.",
        "You should have received an e-mail.",
        "You shouldn't have had to wait.",
        "I'm sorry you didn't get a call back.",
        "I'm sorry our driver didn't ring the bell.",
        "You must have been worried.",
    ],
)
def test_owning_the_failure_is_not_blaming(text):
    assert excerpts(text, Rule.BLAMES) == []


# Excuses after the apology ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sorry, but we were short-staffed.", ["but we were short-staffed"]),
        ("I apologize; the system was down.", ["the system was down"]),
        ("I apologise. The reason is a new supplier.", ["The reason is a new supplier"]),
        ("My apologies. Because of the strike, it's late.", ["Because of the strike"]),
        ("I regret the delay, which was due to the snow.", ["due to the snow"]),
    ],
)
def test_an_explanation_right_after_the_apology_is_flagged(text, expected):
    assert excerpts(text, Rule.EXCUSE_AFTER_APOLOGY, closing=False) == expected


def test_an_explanation_is_fine_when_the_customer_asked_for_one():
    text = "I'm sorry, but we were short-staffed."

    assert excerpts(text, Rule.EXCUSE_AFTER_APOLOGY, explanation_requested=True) == []
    assert excerpts(text, Rule.EXCUSE_AFTER_APOLOGY) == ["but we were short-staffed"]


def test_an_explanation_far_from_the_apology_is_not_an_excuse():
    text = "I'm so sorry. Your new phone will arrive on Monday. Our system was down last week, by the way."

    assert excerpts(text, Rule.EXCUSE_AFTER_APOLOGY) == []


# Apology and thanks ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "apology",
    [
        "I'm sorry about the lamp.",
        "I apologise for the lamp.",
        "I apologize for the lamp.",
        "My apologies for the lamp.",
        "We regret the trouble with the lamp.",
        "Please accept our apology for the lamp.",
        "SORRY about the lamp!",
    ],
)
def test_any_apology_satisfies_a_first_reply(apology):
    assert excerpts(f"Hi Dana,\n{apology} A new one is on its way.", Rule.NO_APOLOGY, first_reply=True) == []


def test_a_first_reply_without_apology_points_at_its_opening_sentence():
    text = "Dear Mr. Smith,\n\nA new lamp is on its way. It will arrive Monday."

    assert excerpts(text, Rule.NO_APOLOGY, first_reply=True) == ["A new lamp is on its way."]
    assert excerpts(text, Rule.NO_APOLOGY, first_reply=False) == []


def test_regret_to_inform_is_not_an_apology():
    assert excerpts("We regret to inform you the lamp is gone.", Rule.NO_APOLOGY, first_reply=True) != []


@pytest.mark.parametrize(
    "closing",
    [
        "Thank you for telling us.",
        "Thanks again!",
        "Many thanks,\nSam",
        "We're grateful you let us know.",
        "We really appreciate your patience.",
        "Thank YOU.",
    ],
)
def test_any_thanks_at_the_close_satisfies_a_closing_message(closing):
    assert excerpts(f"Your lamp is on its way. {closing}", Rule.NO_THANKS) == []


def test_thanks_only_at_the_start_does_not_close_a_long_message():
    text = "Thank you for your e-mail. The lamp is on its way. It ships Monday. It arrives Tuesday."

    assert excerpts(text, Rule.NO_THANKS) == ["It arrives Tuesday."]
    assert excerpts(text, Rule.NO_THANKS, closing=False) == []


def test_the_missing_thanks_points_at_the_last_sentence_before_the_sign_off():
    text = "Hi Dana,\n\nYour lamp is on its way.\n\nKind regards,\nSam Jones\nCustomer Care"

    assert excerpts(text, Rule.NO_THANKS) == ["Your lamp is on its way."]


# The function's contract -----------------------------------------------------------------------------------


def test_findings_come_in_text_order_with_offsets_into_the_original_text():
    text = "Hi Dana 👋, we can\u2019t refund it; you didn\u2019t keep the receipt. Contact the manufacturer."

    result = coach_reply(text, role="frontline")

    starts = [f.start for f in result.findings]
    assert starts == sorted(starts)
    assert [(f.rule, f.excerpt) for f in result.findings] == [
        (Rule.SAYS_NO, "can\u2019t"),
        (Rule.BLAMES, "you didn\u2019t"),
        (Rule.PASSES_BUCK, "Contact the manufacturer"),
        (Rule.NO_THANKS, "Contact the manufacturer."),
    ]
    for finding in result.findings:
        assert text[finding.start : finding.end] == finding.excerpt


def test_offsets_survive_characters_that_lower_case_to_two():
    text = "İstanbul office: we can't refund it."

    [finding] = [f for f in coach_reply(text, role="frontline").findings if f.rule == Rule.SAYS_NO]

    assert text[finding.start : finding.end] == "can't"


def test_each_finding_says_what_is_wrong_and_suggests_a_rewording():
    result = coach_reply("No. You should have read it. It's not my department.", role="frontline", first_reply=True)

    assert result.findings
    for finding in result.findings:
        assert isinstance(finding, Finding)
        assert finding.message and finding.suggestion
        assert finding.suggestion != finding.message
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.findings[0].start = 0  # type: ignore[misc]


def test_blank_text_has_nothing_to_coach():
    assert coach_reply("  \n ", role="frontline", first_reply=True).findings == []


def test_an_unknown_role_is_refused():
    with pytest.raises(ValueError, match="frontline, manager"):
        coach_reply("No.", role="boss")


def test_the_keyword_prefilter_never_hides_a_finding(monkeypatch):
    texts = [reply.text for reply in CORPUS] + [e.text for examples in EXAMPLES.values() for e in examples]
    with_prefilter = [coach_reply(text, role="frontline", first_reply=True) for text in texts]

    unfiltered = tuple(dataclasses.replace(phrase, needles=("",)) for phrase in coach.PHRASES)
    monkeypatch.setattr(coach, "PHRASES", unfiltered)

    assert [coach_reply(text, role="frontline", first_reply=True) for text in texts] == with_prefilter


# Suggestions fitted to the sentence ------------------------------------------------------------------------


def suggestion_for(text, rule):
    [finding] = [f for f in coach_reply(text, role="frontline", closing=False).findings if f.rule == rule]
    return finding.suggestion


@pytest.mark.parametrize(
    ("text", "party"),
    [
        ("Please contact the store about the refund.", "the store"),
        ("You'll need to call your bank.", "your bank"),
        ("I'd recommend speaking with the manufacturer.", "the manufacturer"),
        ("They'll be happy to help you at the counter.", "them"),
    ],
)
def test_a_hand_off_is_answered_by_contacting_that_party_yourself(text, party):
    assert suggestion_for(text, Rule.PASSES_BUCK) == (
        f"Make the call yourself: “I'll contact {party} for you and update you by …”"
    )


def test_sending_the_customer_to_another_of_our_lines_suggests_keeping_it_here():
    suggestion = suggestion_for("Please reach out to us here: https://example.com/help", Rule.PASSES_BUCK)

    assert "I'll look into this myself" in suggestion


def test_a_no_is_answered_with_what_you_can_do_instead_of_the_thing_refused():
    suggestion = suggestion_for("We are unable to change the name on the ticket.", Rule.SAYS_NO)

    assert suggestion == "Say what you can do instead of “change the name on the ticket”: “What I can do is …”"


def test_not_knowing_is_answered_with_finding_out():
    assert "I'll find out" in suggestion_for("There's no information on that yet.", Rule.SAYS_NO)
    assert "I'll find out" in suggestion_for("I couldn't find an order under that address.", Rule.SAYS_NO)


def test_a_flat_no_keeps_its_own_suggestion():
    assert (
        suggestion_for("No, sorry.", Rule.SAYS_NO)
        == "Replace the no with an option: “Let me see what I can do for you.”"
    )
