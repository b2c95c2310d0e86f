"""The search index: one document per case, kept in step with the cases by database triggers.

A document holds who the customer is (name, e-mail) and what was said (subject, story,
expectation, the customer's messages, replies, contacts and notes). Triggers rather than Django
signals, because cases are also written in bulk (the history import, the benchmarks' loaders)
where no signal fires; every path that writes a case writes its document in the same statement.

- SQLite: an FTS5 table `desk_case_search` (rowid = the case's id), ranked with bm25.
- PostgreSQL: a table `desk_case_search` (case_id, a weighted `tsvector`) with a GIN index,
  ranked with `ts_rank`.

Neither table is a Django model: each database's own full-text machinery is used directly by
`makegood.desk.search`. The tables carry no foreign key (a test database's flush truncates the
cases without knowing them); a deleted case's document is deleted by a trigger, and the searches
join documents to cases, so a stale one never shows.
"""

# Every statement here is built from this module's constants, never from input.
# ruff: noqa: S608

from __future__ import annotations

import unicodedata

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "desk_case_search"
# What was said on a case, besides its story: these timeline lines carry words worth finding.
MESSAGE_KINDS = ("customer_message", "reply_sent", "contact", "note")
_KINDS_SQL = ", ".join(f"'{kind}'" for kind in MESSAGE_KINDS)

# --- SQLite ----------------------------------------------------------------------------------------

# The search's filters and who may see a case, as words of their own in the document
# (`filter_tags`, `visibility_tags` in search.py), so that the index narrows the matches itself
# instead of the case table being read for every match to test them. Letters and digits only:
# the tokenizers split words at anything else. 0 stands for none (no team, nobody).
STATUS_TAG, TEAM_TAG, CHANNEL_TAG = "zzs", "zzt", "zzc"
OWNER_TAG, CREATOR_TAG, TRANSFER_TAG = "zzo", "zzb", "zzx"
_TAGS_SQL = (
    f"'{STATUS_TAG}' || c.status || ' {TEAM_TAG}' || coalesce(c.team_id, 0)"
    f" || ' {CHANNEL_TAG}' || replace(c.channel, '_', '') || ' {OWNER_TAG}' || coalesce(c.owner_id, 0)"
    f" || ' {CREATOR_TAG}' || coalesce(c.created_by_id, 0) || ' {TRANSFER_TAG}' || coalesce(c.transfer_team_id, 0)"
)
# A case's row changes these: its document is written again.
_FILTER_COLUMNS = ("status", "team_id", "channel", "owner_id", "created_by_id", "transfer_team_id")


def filter_tags(*, status: str = "", team_id: int | None = None, channel: str = "") -> list[str]:
    """The words that stand for a case's status, team and channel in its document."""
    tags = [f"{STATUS_TAG}{status}"] if status else []
    tags += [f"{TEAM_TAG}{team_id}"] if team_id is not None else []
    return tags + ([f"{CHANNEL_TAG}{channel.replace('_', '')}"] if channel else [])


_SQLITE_DOCUMENT = f"""
    SELECT c.id, coalesce(cu.name, '') || ' ' || coalesce(cu.email, ''),
           c.subject || ' ' || c.story || ' ' || c.expectation || ' ' || coalesce(
               (SELECT group_concat(e.body, ' ') FROM cases_caseevent e
                 WHERE e.case_id = c.id AND e.kind IN ({_KINDS_SQL})), ''),
           {_TAGS_SQL}
      FROM cases_case c JOIN cases_customer cu ON cu.id = c.customer_id
"""
_CHANGED = " OR ".join(
    f"NEW.{col} IS NOT OLD.{col}" for col in ("subject", "story", "expectation", "customer_id", *_FILTER_COLUMNS)
)
_CHANGED_PG = " OR ".join(
    f"NEW.{col} IS DISTINCT FROM OLD.{col}"
    for col in ("subject", "story", "expectation", "customer_id", *_FILTER_COLUMNS)
)
_WATCHED = ", ".join(("subject", "story", "expectation", "customer_id", *_FILTER_COLUMNS))

SQLITE_CREATE = [
    # unicode61 folds case and diacritics; the prefix indexes make "as you type" terms fast.
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(people, words, tags, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
    f"""CREATE TRIGGER desk_search_case_insert AFTER INSERT ON cases_case BEGIN
        INSERT INTO {TABLE}(rowid, people, words, tags) {_SQLITE_DOCUMENT} WHERE c.id = NEW.id;
    END""",
    f"""CREATE TRIGGER desk_search_case_update AFTER UPDATE OF {_WATCHED}
        ON cases_case WHEN {_CHANGED} BEGIN
        DELETE FROM {TABLE} WHERE rowid = NEW.id;
        INSERT INTO {TABLE}(rowid, people, words, tags) {_SQLITE_DOCUMENT} WHERE c.id = NEW.id;
    END""",
    f"""CREATE TRIGGER desk_search_case_delete AFTER DELETE ON cases_case BEGIN
        DELETE FROM {TABLE} WHERE rowid = OLD.id;
    END""",
    f"""CREATE TRIGGER desk_search_event_insert AFTER INSERT ON cases_caseevent
        WHEN NEW.kind IN ({_KINDS_SQL}) AND NEW.body <> '' BEGIN
        DELETE FROM {TABLE} WHERE rowid = NEW.case_id;
        INSERT INTO {TABLE}(rowid, people, words, tags) {_SQLITE_DOCUMENT} WHERE c.id = NEW.case_id;
    END""",
    f"""CREATE TRIGGER desk_search_customer_update AFTER UPDATE OF name, email ON cases_customer
        WHEN NEW.name IS NOT OLD.name OR NEW.email IS NOT OLD.email BEGIN
        DELETE FROM {TABLE} WHERE rowid IN (SELECT id FROM cases_case WHERE customer_id = NEW.id);
        INSERT INTO {TABLE}(rowid, people, words, tags) {_SQLITE_DOCUMENT} WHERE c.customer_id = NEW.id;
    END""",
    # The cases there are already.
    f"INSERT INTO {TABLE}(rowid, people, words, tags) {_SQLITE_DOCUMENT}",
]

SQLITE_DROP = [
    *(
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "desk_search_case_insert",
            "desk_search_case_update",
            "desk_search_case_delete",
            "desk_search_event_insert",
            "desk_search_customer_update",
        )
    ),
    f"DROP TABLE IF EXISTS {TABLE}",
]


def strip_accents(text: str) -> str:
    """`Tomás` → `Tomas`: what SQLite's tokenizer does, done to a query for PostgreSQL."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_UNDECOMPOSED)


_UNDECOMPOSED = str.maketrans("øØłŁđĐħĦ", "oOlLdDhH")


def _accent_map() -> tuple[str, str]:
    """The accented letters of Latin-1 and Latin Extended-A and their bare letters, one to one
    (PostgreSQL's `translate`, so that no extension such as unaccent has to be installed)."""
    accented, bare = [], []
    for code in range(0xC0, 0x180):
        letter = chr(code)
        plain = strip_accents(letter)
        if len(plain) == 1 and plain != letter and plain.isascii():
            accented.append(letter)
            bare.append(plain)
    return "".join(accented), "".join(bare)


_ACCENTED, _BARE = _accent_map()


def _pg_plain(sql: str) -> str:
    return f"translate({sql}, '{_ACCENTED}', '{_BARE}')"


# --- PostgreSQL ------------------------------------------------------------------------------------

_PG_MESSAGES = (
    "coalesce((SELECT string_agg(e.body, ' ') FROM cases_caseevent e"
    f" WHERE e.case_id = c.id AND e.kind IN ({_KINDS_SQL})), '')"
)

# 'simple': no stemming and no stop words, so names and words match alike on both databases
# (prefix matching of each term stands in for stemming: "refund" finds "refunded").
_PG_DOCUMENT = f"""
    SELECT c.id,
           setweight(to_tsvector('simple', {_pg_plain("coalesce(cu.name, '') || ' ' || coalesce(cu.email, '')")}), 'A')
        || setweight(to_tsvector('simple', {_pg_plain("c.subject || ' ' || c.story || ' ' || c.expectation")}), 'B')
        || setweight(to_tsvector('simple', {_pg_plain(_PG_MESSAGES)}), 'C')
        || setweight(to_tsvector('simple', {_TAGS_SQL}), 'D')
      FROM cases_case c JOIN cases_customer cu ON cu.id = c.customer_id
"""

# PL/pgSQL with one generic plan, not SQL: a SQL function that cannot be inlined (this one writes)
# is parsed and planned again on every call, and planning this statement was a quarter of
# PostgreSQL's CPU for each new case. PL/pgSQL keeps the plan for the session, but would still plan
# anew for each array of ids unless told that one plan fits all: a few rows found by their keys.
# That plan must use the indexes even when it is made while the tables are still nearly empty (a
# new install, before the first ANALYZE), or it would scan them whole for the rest of the session.
POSTGRES_REFRESH_FUNCTION = f"""CREATE OR REPLACE FUNCTION desk_search_refresh(ids bigint[]) RETURNS void
    LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan SET enable_seqscan = off AS $$
    BEGIN
        INSERT INTO {TABLE}(case_id, document) {_PG_DOCUMENT} WHERE c.id = ANY(ids)
        ON CONFLICT (case_id) DO UPDATE SET document = EXCLUDED.document;
    END $$"""

POSTGRES_CREATE = [
    f"CREATE TABLE {TABLE} (case_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    f"CREATE INDEX desk_case_search_document_idx ON {TABLE} USING gin (document)",
    POSTGRES_REFRESH_FUNCTION,
    """CREATE FUNCTION desk_search_case_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM desk_search_refresh(ARRAY[NEW.id]);
        RETURN NULL;
    END $$""",
    f"""CREATE FUNCTION desk_search_case_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM {TABLE} WHERE case_id = OLD.id;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION desk_search_event_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM desk_search_refresh(ARRAY[NEW.case_id]);
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION desk_search_customer_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM desk_search_refresh(ARRAY(SELECT id FROM cases_case WHERE customer_id = NEW.id));
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER desk_search_case_insert AFTER INSERT ON cases_case
        FOR EACH ROW EXECUTE FUNCTION desk_search_case_changed()""",
    f"""CREATE TRIGGER desk_search_case_update AFTER UPDATE OF {_WATCHED}
        ON cases_case FOR EACH ROW WHEN ({_CHANGED_PG})
        EXECUTE FUNCTION desk_search_case_changed()""",
    """CREATE TRIGGER desk_search_case_delete AFTER DELETE ON cases_case
        FOR EACH ROW EXECUTE FUNCTION desk_search_case_deleted()""",
    f"""CREATE TRIGGER desk_search_event_insert AFTER INSERT ON cases_caseevent
        FOR EACH ROW WHEN (NEW.kind IN ({_KINDS_SQL}) AND NEW.body <> '')
        EXECUTE FUNCTION desk_search_event_added()""",
    """CREATE TRIGGER desk_search_customer_update AFTER UPDATE OF name, email ON cases_customer
        FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name OR NEW.email IS DISTINCT FROM OLD.email)
        EXECUTE FUNCTION desk_search_customer_changed()""",
    f"INSERT INTO {TABLE}(case_id, document) {_PG_DOCUMENT}",
]

POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS desk_search_case_insert ON cases_case",
    "DROP TRIGGER IF EXISTS desk_search_case_update ON cases_case",
    "DROP TRIGGER IF EXISTS desk_search_case_delete ON cases_case",
    "DROP TRIGGER IF EXISTS desk_search_event_insert ON cases_caseevent",
    "DROP TRIGGER IF EXISTS desk_search_customer_update ON cases_customer",
    "DROP FUNCTION IF EXISTS desk_search_case_changed()",
    "DROP FUNCTION IF EXISTS desk_search_case_deleted()",
    "DROP FUNCTION IF EXISTS desk_search_event_added()",
    "DROP FUNCTION IF EXISTS desk_search_customer_changed()",
    "DROP FUNCTION IF EXISTS desk_search_refresh(bigint[])",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def _statements(connection: BaseDatabaseWrapper, *, create: bool) -> list[str]:
    if connection.vendor == "postgresql":
        return POSTGRES_CREATE if create else POSTGRES_DROP
    if connection.vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    raise NotImplementedError(f"Search needs SQLite or PostgreSQL, not {connection.vendor}.")


def search_index_create(connection: BaseDatabaseWrapper) -> None:
    """Create the index, its triggers, and the documents of the cases there are."""
    with connection.cursor() as cursor:
        for statement in _statements(connection, create=True):
            cursor.execute(statement)


def search_index_drop(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(connection, create=False):
            cursor.execute(statement)


TRIGGERS = (
    "desk_search_case_insert",
    "desk_search_case_update",
    "desk_search_case_delete",
    "desk_search_event_insert",
    "desk_search_customer_update",
)


def _triggers_present(connection: BaseDatabaseWrapper) -> int:
    marks = ", ".join(["%s"] * len(TRIGGERS))
    if connection.vendor == "postgresql":
        sql = f"SELECT count(DISTINCT tgname) FROM pg_trigger WHERE tgname IN ({marks})"
    else:
        sql = f"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})"
    with connection.cursor() as cursor:
        cursor.execute(sql, list(TRIGGERS))
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def search_index_ensure(connection: BaseDatabaseWrapper) -> bool:
    """Re-create the index when a later migration lost its triggers; True if it had to.

    SQLite cannot alter most of a table in place: Django's migrations rebuild the table (a new
    one, copied, renamed), and the triggers on the old one go with it. Run after every migrate.
    """
    if connection.vendor not in ("sqlite", "postgresql"):
        return False
    if _triggers_present(connection) == len(TRIGGERS):
        return False
    search_index_drop(connection)
    search_index_create(connection)
    return True
