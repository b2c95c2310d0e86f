"""How PostgreSQL and SQLite are configured: the same durability on both (one setting makes every
commit wait for the disk), and PostgreSQL's statements prepared once per connection."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

READ_OPTIONS = (
    "import json, django; django.setup(); from django.conf import settings; "
    "d = settings.DATABASES['default']; print(json.dumps([d['ENGINE'], d.get('OPTIONS', {})]))"
)


def database_settings(url: str, durable: str | None) -> tuple[str, dict]:
    env = {k: v for k, v in os.environ.items() if k != "MAKEGOOD_DURABLE_COMMITS"}
    env.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="makegood.settings", SECRET_KEY="x")
    if durable is not None:
        env["MAKEGOOD_DURABLE_COMMITS"] = durable
    done = subprocess.run([sys.executable, "-c", READ_OPTIONS], env=env, capture_output=True, text=True, check=True)
    engine, options = json.loads(done.stdout)
    return engine, options


@pytest.mark.parametrize(("durable", "sqlite_sync", "pg_commit"), [(None, "NORMAL", "off"), ("true", "FULL", None)])
def test_sqlite_and_postgresql_get_the_same_durability(tmp_path, durable, sqlite_sync, pg_commit):
    engine, options = database_settings(f"sqlite:///{tmp_path}/x.sqlite3", durable)
    assert engine == "makegood.sqlite"
    assert f"PRAGMA synchronous={sqlite_sync};" in options["init_command"]
    engine, options = database_settings("postgres://u@127.0.0.1:5432/x?options=-c%20statement_timeout%3D5000", durable)
    assert engine == "django.db.backends.postgresql"
    if pg_commit is None:
        assert options["options"] == "-c statement_timeout=5000"
    else:
        assert options["options"] == f"-c statement_timeout=5000 -c synchronous_commit={pg_commit}"


@pytest.mark.django_db
def test_the_running_database_commits_as_configured():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW synchronous_commit")
        else:
            pytest.skip("the tests' SQLite database is in memory: there is no disk to wait for")
        assert cursor.fetchone()[0] == "off"


def test_postgresql_binds_parameters_on_the_server_and_prepares_repeated_statements():
    _engine, options = database_settings("postgres://u@127.0.0.1:5432/x", None)
    assert options["server_side_binding"] is True and options["prepare_threshold"] == 5
    _engine, options = database_settings("postgres://u@127.0.0.1:5432/x?server_side_binding=false", None)
    assert options["server_side_binding"] != True  # noqa: E712 (Django binds on the server only for True)


@pytest.mark.django_db
def test_postgresql_prepares_a_statement_run_five_times():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps its own cache of prepared statements")
    with connection.cursor() as cursor:
        for _ in range(6):
            cursor.execute("SELECT count(*) FROM auth_user WHERE id > %s", [0])
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement = %s",
            ["SELECT count(*) FROM auth_user WHERE id > $1"],
        )
        assert cursor.fetchone()[0] == 1
