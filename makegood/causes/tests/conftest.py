import pytest

from makegood.accounts.models import Role
from makegood.cases.tests.factories import make_staff
from makegood.causes.models import Cause, CauseCategory


@pytest.fixture
def stage_resolve_guards():
    """Keep every resolve guard on here: a case cannot be resolved without a root cause."""
    return None


@pytest.fixture(autouse=True)
def _fresh_cause_caches():
    """The taxonomy and the model are remembered per process; a test's rolled-back rows must not leak."""
    from makegood.causes.suggester import model_cache, taxonomy_cache

    model_cache.clear()
    taxonomy_cache.clear()
    yield
    model_cache.clear()
    taxonomy_cache.clear()


@pytest.fixture
def olga(north):
    """A process owner (sees every team)."""
    return make_staff("olga", Role.PROCESS_OWNER, north, first_name="Olga", last_name="Owens")


@pytest.fixture
def delivery(db) -> Cause:
    return Cause.objects.get(name="Courier lost or damaged the delivery")


@pytest.fixture
def rude(db) -> Cause:
    return Cause.objects.get(name="Rude or dismissive treatment")


@pytest.fixture
def weather(db) -> Cause:
    return Cause.objects.get(name="Weather")


def category(name: str) -> CauseCategory:
    return CauseCategory.objects.get(name=name)
