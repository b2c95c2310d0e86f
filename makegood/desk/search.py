"""Finding a case: by its reference, its customer's e-mail or phone, or the words said on it.

One selector, `case_search`, for the search page and `GET /api/v1/search`. It always starts
from `cases_visible_to`, so a frontline employee finds only what they may open. Words are
matched by the database's own full-text index (`search_index.py`): FTS5 on SQLite,
`tsvector` + GIN on PostgreSQL, each ranked by its own measure (bm25, ts_rank).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet

from makegood.accounts.models import Team
from makegood.accounts.roles import SEES_UNROUTED, team_id_of
from makegood.cases.customers import normalize_email, normalize_phone
from makegood.cases.models import Case, parse_reference
from makegood.cases.selectors import cases_visible_to
from makegood.desk.search_index import (
    CREATOR_TAG,
    OWNER_TAG,
    TABLE,
    TEAM_TAG,
    TRANSFER_TAG,
    filter_tags,
    strip_accents,
)

MAX_QUERY_CHARS = 200
MAX_TERMS = 8
RESULT_LIMIT = 50
CANDIDATES = 500
# Shorter terms match whole words only: a prefix of one or two letters matches half the index.
PREFIX_FROM_CHARS = 3
_TERM_RE = re.compile(r"[^\W_]+")
_PHONE_RE = re.compile(r"^[+(]?[0-9][0-9 ().\-/]{5,}$")


class MatchedOn:
    REFERENCE = "reference"
    EMAIL = "email"
    PHONE = "phone"
    WORDS = "words"


@dataclass(frozen=True)
class SearchFilters:
    """Already validated at the edge (the page's form, the API's schema); blank means any."""

    status: str = ""
    team: str = ""  # a team's slug
    channel: str = ""


@dataclass(frozen=True)
class SearchResult:
    query: str
    matched_on: str = ""
    cases: list[Case] = field(default_factory=list)
    # A reference the person may open: the page goes straight to the case.
    jump_to: Case | None = None
    # So many cases matched that only the newest CANDIDATES of them were ranked.
    ranked_newest_only: bool = False

    @property
    def truncated(self) -> bool:
        return len(self.cases) >= RESULT_LIMIT


def search_terms(text: str) -> list[str]:
    """The words of a query, lower-cased, without accents or punctuation (so no query is a
    syntax error)."""
    return _TERM_RE.findall(strip_accents(text.lower()))[:MAX_TERMS]


def _fts5_match(terms: list[str], tags: list[str], anyone: list[str] | None) -> str:
    words = " ".join(f'"{t}"*' if len(t) >= PREFIX_FROM_CHARS else f'"{t}"' for t in terms)
    match = f"{{people words}} : ({words})" + "".join(f' AND {{tags}} : "{tag}"' for tag in tags)
    if anyone is not None:
        match += " AND {tags} : (" + " OR ".join(f'"{tag}"' for tag in anyone) + ")"
    return match


def _tsquery(terms: list[str]) -> str:
    """`('refund' | 'refund':*) & ...`: the prefix alone matches the same, but PostgreSQL estimates
    a prefix's matches with a default (2% where a fifth of the cases matched), then plans for a
    few rows and reads every match; with the word itself beside it the estimate comes from the
    index's statistics, and a common word is read newest first and stopped early (5x faster)."""
    return " & ".join(f"('{t}' | '{t}':*)" if len(t) >= PREFIX_FROM_CHARS else f"'{t}'" for t in terms)


def visibility_tags(user: User | AnonymousUser) -> list[str] | None:
    """Who may see a case, as the index's words: a case carrying any of them (None: every case).

    The same rule as `cases_visible_to`, which still decides: the cases found are read back
    through it, so these words only spare the index's search the cases one may not see.
    """
    if user.has_perm("cases.view_all_cases"):
        return None
    tags = [f"{OWNER_TAG}{user.pk}", f"{CREATOR_TAG}{user.pk}"]
    team_id = team_id_of(user)
    if team_id is not None:
        tags += [f"{TEAM_TAG}{team_id}", f"{TRANSFER_TAG}{team_id}"]
    if user.has_perm(SEES_UNROUTED):
        tags.append(f"{TEAM_TAG}0")
    return tags


# The table's name is a constant; the query and the limit are parameters.
_PG_CANDIDATES = (
    f"SELECT case_id, -ts_rank(document, to_tsquery('simple', %s)) FROM {TABLE}"  # noqa: S608
    " WHERE document @@ to_tsquery('simple', %s) ORDER BY case_id DESC LIMIT %s"
)
_SQLITE_CANDIDATES = (
    f"SELECT rowid, bm25({TABLE}, 10.0, 1.0, 0.0) FROM {TABLE} WHERE {TABLE} MATCH %s"  # noqa: S608
    " ORDER BY rowid DESC LIMIT %s"
)


def _candidates(terms: list[str], tags: list[str], anyone: list[str] | None) -> list[tuple[int, float]]:
    """(case id, rank: lower is better) of the newest CANDIDATES cases with every term and tag
    (and one of `anyone`'s, who may see them), from the index alone.

    Ranking every match of a word in half the stories would read half the index for an order
    nobody scrolls through; so the matches are walked newest first (the index's own order) and
    only the newest CANDIDATES are ranked. A query narrow enough to matter is ranked in full.
    Filters and visibility are words of the document: the case table is not read for each match
    (on PostgreSQL, joining it made the planner walk all the cases backwards for a rare name).
    """
    if connection.vendor == "postgresql":
        words = _tsquery(terms)
        parts = [f"({words})", *(f"'{tag}'" for tag in tags)]
        if anyone is not None:
            parts.append("(" + " | ".join(f"'{tag}'" for tag in anyone) + ")")
        sql = _PG_CANDIDATES
        params: list[str | int] = [words, " & ".join(parts), CANDIDATES]
    else:
        # bm25 is lower for a better match; a match on the customer's name or e-mail weighs more.
        sql = _SQLITE_CANDIDATES
        params = [_fts5_match(terms, tags, anyone), CANDIDATES]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(pk), float(rank)) for pk, rank in cursor.fetchall()]


def _by_words(
    cases: QuerySet[Case], terms: list[str], tags: list[str], anyone: list[str] | None, limit: int
) -> tuple[list[Case], bool]:
    """The best `limit` matches, best first (newest first among equals), and whether the ranking
    was cut to the newest CANDIDATES. `cases` (who may see what) has the last word."""
    candidates = _candidates(terms, tags, anyone)
    best = [pk for pk, _rank in sorted(candidates, key=lambda c: (c[1], -c[0]))[:limit]]
    found = cases.in_bulk(best) if best else {}
    return [found[pk] for pk in best if pk in found], len(candidates) >= CANDIDATES


def _email_of(text: str) -> str:
    if "@" not in text:
        return ""
    try:
        return normalize_email(text)
    except ValidationError:
        return ""


def _phone_of(text: str) -> str:
    if not _PHONE_RE.match(text) or sum(ch.isdigit() for ch in text) < 7:
        return ""
    try:
        return normalize_phone(text)
    except ValidationError:
        return ""


def _filtered(cases: QuerySet[Case], filters: SearchFilters) -> QuerySet[Case]:
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.team:
        cases = cases.filter(team__slug=filters.team)
    if filters.channel:
        cases = cases.filter(channel=filters.channel)
    return cases


def _tags(filters: SearchFilters) -> list[str] | None:
    """The filters as the index's words (`search_index.filter_tags`); None for a team there is not."""
    team_id = None
    if filters.team:
        team_id = Team.objects.filter(slug=filters.team).values_list("pk", flat=True).first()
        if team_id is None:
            return None
    return filter_tags(status=filters.status, team_id=team_id, channel=filters.channel)


def case_search(
    user: User | AnonymousUser, text: str, *, filters: SearchFilters | None = None, limit: int = RESULT_LIMIT
) -> SearchResult:
    """The cases matching `text` that `user` may see: one query for the cases, two for words
    (plus the person's permissions and team, read once per request, and a team filter's team).

    A reference jumps to its case; a whole e-mail address or phone number (in any usual
    writing: normalised as intake stores it) finds that customer's cases, newest first; anything
    else, or an address or number nobody has, is looked up as words, best match first.
    """
    text = text.strip()[:MAX_QUERY_CHARS]
    if not text:
        return SearchResult(query=text)
    visible = cases_visible_to(user)
    parsed = parse_reference(text)
    if parsed is not None:
        year, pk = parsed
        case = visible.select_related("customer").filter(pk=pk).first()
        if case is not None and case.received_at.year == year:
            return SearchResult(query=text, matched_on=MatchedOn.REFERENCE, cases=[case], jump_to=case)
        return SearchResult(query=text, matched_on=MatchedOn.REFERENCE)
    shown = visible.select_related("customer", "team", "owner")
    cases = _filtered(shown, filters or SearchFilters())
    email, phone = _email_of(text), _phone_of(text)
    if email or phone:
        # The exclude() repeats the unique index's condition, without which SQLite skips it.
        if email:
            by_contact = cases.filter(customer__email=email).exclude(customer__email="")
        else:
            by_contact = cases.filter(customer__phone=phone).exclude(customer__phone="")
        found = list(by_contact.order_by("-received_at")[:limit])
        if found:
            return SearchResult(query=text, matched_on=MatchedOn.EMAIL if email else MatchedOn.PHONE, cases=found)
    terms = search_terms(text)
    if not terms:
        return SearchResult(query=text)
    tags = _tags(filters or SearchFilters())
    if tags is None:
        return SearchResult(query=text, matched_on=MatchedOn.WORDS)
    found, cut = _by_words(shown, terms, tags, visibility_tags(user), limit)
    return SearchResult(query=text, matched_on=MatchedOn.WORDS, cases=found, ranked_newest_only=cut)
