import pytest

from makegood.accounts.models import Role
from makegood.cases.tests.factories import make_staff


@pytest.fixture
def stage_resolve_guards():
    """Keep every resolve guard on here."""
    return None


@pytest.fixture
def olga(north):
    """A process owner: runs the whole improvement loop."""
    return make_staff("olga", Role.PROCESS_OWNER, north, first_name="Olga", last_name="Owens")


@pytest.fixture
def mona(south):
    """A manager of another team: sees the charts, counted over her own team's cases."""
    return make_staff("mona", Role.MANAGER, south, first_name="Mona", last_name="Meyer")
