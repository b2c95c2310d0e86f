import pytest

from makegood.accounts.models import Role, Team
from makegood.cases.tests.factories import TeamFactory, make_staff


@pytest.fixture
def north(db) -> Team:
    return TeamFactory.create(name="North", receives_unrouted=True)


@pytest.fixture
def south(db) -> Team:
    return TeamFactory.create(name="South")


@pytest.fixture
def alice(north):
    return make_staff("alice", Role.FRONTLINE, north, first_name="Alice", last_name="Adams")


@pytest.fixture
def bob(north):
    return make_staff("bob", Role.MANAGER, north, first_name="Bob", last_name="Brown")


@pytest.fixture
def charlie(south):
    return make_staff("charlie", Role.FRONTLINE, south, first_name="Charlie", last_name="Clark")


@pytest.fixture(autouse=True)
def _fresh_clock_cache():
    """The clock caches targets and opening hours per process; a test's rolled-back rows must not
    leak into the next test through it."""
    from makegood.cases.clock import clock_cache_clear

    clock_cache_clear()
    yield
    clock_cache_clear()


@pytest.fixture(autouse=True)
def stage_resolve_guards(monkeypatch):
    """The stages' conditions on resolving a case (cases/guards.py: a root cause first) are off in
    tests that are about something else, so that each stage's tests resolve cases the way the
    core does. The apps that own a condition override this fixture to keep every guard on."""
    from makegood.cases import guards

    monkeypatch.setattr(guards, "_resolve_guards", {})
