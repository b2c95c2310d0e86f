"""Search: by reference, e-mail, phone and words; ranked, filtered, and only what one may see.

Runs on whichever database the suite runs on (SQLite's FTS5 or PostgreSQL's tsvector)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection

from makegood.accounts.services import api_token_issue
from makegood.cases.models import Customer
from makegood.cases.services import case_add_customer_message, case_record_response, case_take_ownership
from makegood.cases.tests.factories import make_case
from makegood.desk.search import MatchedOn, SearchFilters, case_search, search_terms
from makegood.desk.search_index import TABLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(north, south, alice):
    return {
        "kettle": make_case(
            customer_name="Priya Raman",
            customer_email="priya@example.com",
            subject="Kettle",
            story="The kettle I bought leaks from the base.",
            team=north,
        ),
        "sofa": make_case(
            channel="phone",
            customer_name="Tomás Ortega",
            customer_email="",
            customer_phone="+1 415 555 0100",
            story="The sofa delivery never came although I took a day off.",
            team=north,
        ),
        "south": make_case(
            customer_name="Priya Southgate",
            customer_email="ps@example.com",
            story="My kettle leaks too, and the shop in the south was rude.",
            team=south,
        ),
    }


def refs(result):
    return [case.reference for case in result.cases]


def test_a_reference_jumps_to_its_case(alice, cases):
    result = case_search(alice, cases["kettle"].reference.lower())
    assert result.jump_to == cases["kettle"] and result.matched_on == MatchedOn.REFERENCE


def test_a_reference_of_a_case_one_may_not_see_finds_nothing(alice, cases):
    result = case_search(alice, cases["south"].reference)
    assert result.jump_to is None and result.cases == []


def test_words_of_the_story_find_the_case_and_a_prefix_is_enough(alice, cases):
    assert refs(case_search(alice, "kettle leaks")) == [cases["kettle"].reference]
    assert refs(case_search(alice, "deliv")) == [cases["sofa"].reference]


def test_the_customers_name_is_found_without_its_accents_mattering(alice, cases):
    assert refs(case_search(alice, "tomas")) == [cases["sofa"].reference]
    assert refs(case_search(alice, "Raman")) == [cases["kettle"].reference]


def test_a_whole_e_mail_address_finds_that_customers_cases_in_any_case(alice, cases):
    result = case_search(alice, "  PRIYA@example.com ")
    assert refs(result) == [cases["kettle"].reference] and result.matched_on == MatchedOn.EMAIL


def test_a_phone_number_is_normalised_as_intake_stores_it(alice, cases):
    result = case_search(alice, "(415) 555-0100")
    assert refs(result) == [cases["sofa"].reference] and result.matched_on == MatchedOn.PHONE


def test_messages_and_replies_are_searched_as_they_arrive(alice, cases):
    assert case_search(alice, "warranty").cases == []
    case_add_customer_message(case=cases["kettle"], body="Is this covered by the warranty?")
    assert refs(case_search(alice, "warranty")) == [cases["kettle"].reference]
    case_take_ownership(case=cases["sofa"], user=alice)
    case_record_response(case=cases["sofa"], user=alice, kind="contact", body="A voucher for the wasted afternoon.")
    assert refs(case_search(alice, "voucher")) == [cases["sofa"].reference]


def test_a_customer_who_changes_name_is_found_by_the_new_one(alice, cases):
    Customer.objects.filter(pk=cases["kettle"].customer_id).update(name="Priya Venkat")
    # update() bypasses save(): only the database's triggers can have seen it.
    assert refs(case_search(alice, "venkat")) == [cases["kettle"].reference]


def test_a_match_on_the_customers_name_ranks_above_a_word_in_a_story(alice, north, cases):
    mention = make_case(customer_name="Sam Hill", customer_email="sam@example.com", story="Priya at the desk was kind.")
    assert refs(case_search(alice, "priya")) == [cases["kettle"].reference, mention.reference]


def test_results_are_filtered_by_status_team_and_channel(bob, north, cases):
    assert refs(case_search(bob, "leaks", filters=SearchFilters(channel="phone"))) == []
    assert refs(case_search(bob, "leaks", filters=SearchFilters(status="new", channel="web"))) == [
        cases["kettle"].reference
    ]
    assert refs(case_search(bob, "the", filters=SearchFilters(status="resolved"))) == []


def test_the_filters_follow_a_case_that_changes_status_team_or_channel(alice, bob, north, south, cases):
    """The filters are words of the index's document: a change to the case writes them again."""
    from makegood.accounts.models import Role
    from makegood.cases.models import Case
    from makegood.cases.tests.factories import make_staff

    kettle = cases["kettle"]
    case_take_ownership(case=kettle, user=alice)  # new -> open
    assert refs(case_search(bob, "leaks", filters=SearchFilters(status="new"))) == []
    assert refs(case_search(bob, "leaks", filters=SearchFilters(status="open"))) == [kettle.reference]
    Case.objects.filter(pk=kettle.pk).update(channel="chat", transfer_team=south)
    assert refs(case_search(bob, "leaks", filters=SearchFilters(channel="web"))) == []
    assert refs(case_search(bob, "leaks", filters=SearchFilters(channel="chat"))) == [kettle.reference]
    Case.objects.filter(pk=kettle.pk).update(team=south)
    owner = make_staff("olga", Role.PROCESS_OWNER)
    assert refs(case_search(owner, "base", filters=SearchFilters(team=north.slug))) == []
    assert refs(case_search(owner, "base", filters=SearchFilters(team=south.slug))) == [kettle.reference]
    assert refs(case_search(bob, "leaks", filters=SearchFilters(team="no-such-team"))) == []


def test_the_index_finds_exactly_the_cases_each_person_may_see(alice, bob, charlie, north, south):
    """Who may see a case is also words of the index (`visibility_tags`): for every role, words
    find the same cases as `cases_visible_to` allows, no more and no fewer."""
    from makegood.accounts.models import Role
    from makegood.cases.handoffs import case_transfer
    from makegood.cases.models import Case
    from makegood.cases.selectors import cases_visible_to
    from makegood.cases.tests.factories import make_staff

    make_case(story="A gasket leak at the north shop.", team=north)
    make_case(story="A gasket leak in the south.", team=south)
    make_case(story="A gasket leak filed by Alice for the south.", team=south, created_by=alice)
    owned = make_case(story="A gasket leak in the south that Alice took.", team=south)
    Case.objects.filter(pk=owned.pk).update(owner=alice)
    moving = make_case(story="A gasket leak on its way from the south to the north.", team=south)
    case_transfer(case=moving, user=make_staff("sue", Role.MANAGER, south), to_team=north, reason="Theirs.")
    unrouted = make_case(story="A gasket leak nobody routed.", team=south)
    Case.objects.filter(pk=unrouted.pk).update(team=None)
    owner = make_staff("olga", Role.PROCESS_OWNER)
    for person in (alice, bob, charlie, owner):
        fresh = User.objects.get(pk=person.pk)
        expected = set(cases_visible_to(fresh).filter(story__contains="gasket").values_list("pk", flat=True))
        assert {c.pk for c in case_search(fresh, "gasket").cases} == expected, person.username
        assert expected  # everyone sees some of them


def test_a_process_owner_finds_every_teams_cases_filtered_by_team(cases, south):
    from makegood.accounts.models import Role
    from makegood.cases.tests.factories import make_staff

    owner = make_staff("olga", Role.PROCESS_OWNER)
    assert set(refs(case_search(owner, "kettle"))) == {cases["kettle"].reference, cases["south"].reference}
    assert refs(case_search(owner, "kettle", filters=SearchFilters(team=south.slug))) == [cases["south"].reference]


def test_charlie_finds_nothing_of_another_team_by_any_route(charlie, cases):
    kettle = cases["kettle"]
    for text in ("kettle", "Raman", "priya@example.com", "+14155550100", kettle.reference):
        result = case_search(charlie, text)
        assert all(case.team_id == charlie.staff.team_id for case in result.cases), text
        assert kettle not in result.cases and result.jump_to is None


@pytest.mark.parametrize(
    "text", ['"', "*", "AND OR NOT", "kettle)", "NEAR(a b)", "'; drop table x; --", "a:*|!", "\u00e9\u00e9", "-"]
)
def test_any_text_is_a_search_never_a_syntax_error(alice, cases, text):
    case_search(alice, text)


def test_search_terms_drop_punctuation():
    assert search_terms("Kettle, leaks!! o'brien_x") == ["kettle", "leaks", "o", "brien", "x"]


def test_a_search_costs_a_fixed_number_of_queries(django_assert_num_queries, cases, north):
    for text, queries in (
        ("priya@example.com", 4),
        ("+1 415 555 0100", 4),
        (cases["kettle"].reference, 4),
        ("kettle leaks", 5),  # the ranked matches' ids, then their cases
    ):
        fresh = User.objects.get(username="alice")  # no permissions or team remembered yet
        # The person's profile, their permissions (user's and group's), then the cases.
        with django_assert_num_queries(queries):
            case_search(fresh, text)


def test_only_the_newest_matches_are_ranked_when_there_are_very_many(alice, north, monkeypatch):
    from makegood.desk import search

    older = make_case(customer_name="Old Leak", customer_email="old@example.com", story="Leak leak leak leak leak.")
    newer = [make_case(customer_email=f"n{i}@example.com", story=f"One leak, number {i}.") for i in range(3)]
    monkeypatch.setattr(search, "CANDIDATES", 3)
    result = case_search(alice, "leak")
    assert result.ranked_newest_only and older not in result.cases and set(result.cases) == set(newer)
    monkeypatch.setattr(search, "CANDIDATES", 4)
    assert case_search(alice, "leak").cases[0] == older  # the best match, once it is a candidate


def test_the_index_follows_a_deleted_case(alice, cases):
    cases["kettle"].events.all().delete()
    cases["kettle"].delete()
    with connection.cursor() as cursor:
        key = "case_id" if connection.vendor == "postgresql" else "rowid"
        cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE {key} = %s", [cases["kettle"].pk])
        assert cursor.fetchone()[0] == 0


# The page and the API ---------------------------------------------------------------------------


def test_the_page_jumps_to_the_case_for_a_reference(client, alice, cases):
    client.force_login(alice)
    response = client.get("/search/", {"q": cases["kettle"].reference})
    assert response.status_code == 302 and response["Location"] == f"/cases/{cases['kettle'].reference}/"


def test_the_page_lists_matches_with_links(client, alice, cases):
    client.force_login(alice)
    response = client.get("/search/", {"q": "kettle"})
    body = response.content.decode()
    assert response.status_code == 200
    assert f"/cases/{cases['kettle'].reference}/" in body and cases["south"].reference not in body


def test_the_page_refuses_a_bad_filter_without_an_error(client, alice, cases):
    client.force_login(alice)
    response = client.get("/search/", {"q": "kettle", "status": "nonsense"})
    assert response.status_code == 200 and cases["kettle"].reference not in response.content.decode()


def test_charlie_gets_nothing_from_the_page(client, charlie, cases):
    client.force_login(charlie)
    for text in ("kettle", "priya@example.com", cases["kettle"].reference):
        response = client.get("/search/", {"q": text})
        body = response.content.decode()
        assert response.status_code == 200
        assert f"/cases/{cases['kettle'].reference}/" not in body and "Raman" not in body


def test_the_api_searches_with_the_same_selector(client, alice, charlie, cases):
    token = api_token_issue(user=alice)
    response = client.get("/api/v1/search", {"q": "kettle"}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert [item["reference"] for item in response.json()["items"]] == [cases["kettle"].reference]
    theirs = api_token_issue(user=charlie)
    response = client.get("/api/v1/search", {"q": "Raman"}, headers={"Authorization": f"Bearer {theirs}"})
    assert response.status_code == 200 and response.json()["items"] == []


def test_the_api_needs_a_token_and_a_query(client, alice, cases):
    assert client.get("/api/v1/search", {"q": "kettle"}).status_code == 401
    token = api_token_issue(user=alice)
    assert client.get("/api/v1/search", headers={"Authorization": f"Bearer {token}"}).status_code == 422


def test_a_migration_that_rebuilds_the_cases_table_does_not_lose_the_index(alice, north, cases):
    from django.core.management import call_command

    from makegood.desk.search_index import TRIGGERS

    with connection.cursor() as cursor:
        for name in TRIGGERS:  # what rebuilding the table (SQLite's way of altering it) does
            cursor.execute(
                f"DROP TRIGGER IF EXISTS {name}" + (" ON cases_case" if connection.vendor == "postgresql" else "")
            )
    call_command("migrate", verbosity=0)  # nothing to apply: post_migrate puts the index back
    make_case(customer_name="Late Larkin", customer_email="late@example.com", story="A lamp.", team=north)
    assert [case.customer.name for case in case_search(alice, "larkin").cases] == ["Late Larkin"]


def test_postgresql_plans_the_document_refresh_once_per_session():
    """A SQL-language refresh was parsed and planned on every new case: a quarter of PostgreSQL's CPU."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's index is FTS5, kept by triggers with no planner of their own")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.lanname, p.proconfig FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang"
            " WHERE p.proname = 'desk_search_refresh'"
        )
        language, config = cursor.fetchone()
    assert language == "plpgsql"
    assert config == ["plan_cache_mode=force_generic_plan", "enable_seqscan=off"]
