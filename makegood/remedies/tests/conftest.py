import pytest

from makegood.remedies.catalogs import catalog_load
from makegood.remedies.selectors import catalog_changed


@pytest.fixture(autouse=True)
def _fresh_catalog_cache():
    # The parsed catalog is cached per process; tests build their own catalogs.
    catalog_changed()
    yield
    catalog_changed()


@pytest.fixture
def shop(db):
    """The online shop's catalog, active, with its role defaults (frontline: 50 per case,
    300 per day, 2,500 per month; manager: 500 / 2,000 / 15,000)."""
    catalog_load(name="online_shop")
    return "online_shop"


@pytest.fixture
def real_database(transactional_db, tmp_path):
    """A database that several connections can use at once, as in production.

    PostgreSQL's test database already is one. SQLite's test database lives in memory, where a
    second connection that wants to write fails at once ("database table is locked") instead of
    waiting its turn: so copy it to a file (WAL, IMMEDIATE transactions, the busy timeout: the
    production settings) and point every new connection there for the test.
    """
    from django.db import connection, connections
    from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

    if not isinstance(connections["default"], SQLiteWrapper) or not connections["default"].is_in_memory_db():
        yield
        return
    import sqlite3

    path = tmp_path / "concurrency.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    settings_dict = connection.settings_dict  # shared by every connection to "default"
    memory_name, in_memory = settings_dict["NAME"], connection.connection
    # Keep the in-memory database alive (a reference to its connection) while we use the file.
    connection.connection = None
    settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = memory_name
        connection.connection = in_memory
