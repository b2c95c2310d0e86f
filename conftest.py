import os
import shutil

import pytest
from django.db import transaction

# Playwright's sync API runs an event loop in the test thread; Django must still be allowed to
# query from it (see ../shared/STACK.md).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Modules that pytest-xdist sends whole to one worker, in their place in pytest-django's order: those
# whose tests share a loaded demo (module-scoped), so it is loaded once; and the one whose tests each
# open 50 database connections, which two at once on PostgreSQL would exceed its 100. (xdist's
# `--dist loadgroup` does not group under pytest 9.)
WHOLE_MODULES = {
    "makegood/demo/tests/test_demo_loaded.py",
    "makegood/demo/tests/test_demo_purchases.py",
    "makegood/demo/tests/test_demo_remedies.py",
    "makegood/remedies/tests/test_concurrency.py",
}


def pytest_xdist_make_scheduler(config, log):
    """Like `--dist load` (one test at a time to whichever worker is free), but the modules above
    go whole."""
    if config.getoption("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    # Keep the collection's order: pytest-django runs the transactional tests (which empty every
    # table, the migrations' rows too) after the others, and that must hold on each worker.
    config.option.loadscopereorder = False

    class WholeModulesScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in WHOLE_MODULES else nodeid

    return WholeModulesScheduling(config, log)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """Rows that a module's tests share, made once, as Django's `setUpTestData` does: inside a
    transaction rolled back when the module ends; each test runs in a savepoint within it, so what
    a test changes is gone for the next. Only for modules without transactional or live-server tests
    (those need committed data), and each test still asks for `db`."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
