import signal

import pytest

from makegood.worker.services import periodic_task_resolve

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_queue(settings):
    """Tasks queue in the database, as in production (the test settings run them inline)."""
    settings.TASKS = DATABASE_TASKS
    settings.MAKEGOOD_WORKER_STALE_AFTER = 60
    settings.MAKEGOOD_WORKER_HEARTBEAT_EVERY = 5
    settings.MAKEGOOD_WORKER_MAX_ATTEMPTS = 5
    settings.MAKEGOOD_PERIODIC_TASKS = {}
    periodic_task_resolve.cache_clear()
    yield
    periodic_task_resolve.cache_clear()


@pytest.fixture
def keep_signal_handlers():
    """The worker installs SIGINT/SIGTERM handlers; give pytest its own back afterwards."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in handlers.items():
        signal.signal(sig, handler)
