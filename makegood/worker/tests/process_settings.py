"""Settings of the `makegood` processes the crash tests start: the real ones, with a file e-mail
backend (see slow_email.py) and no periodic sweep but the outbox's (other apps' work is not under
test here), every second, with a short lease so that an interrupted message goes out quickly.

The database, the key and the worker's timings come from the environment, as in production.
"""

from makegood.settings import *  # noqa: F403

EMAIL_BACKEND = "makegood.worker.tests.slow_email.EmailBackend"
MAKEGOOD_PERIODIC_TASKS = {"makegood.outbox.tasks.sweep_outbox": 1}
MAKEGOOD_OUTBOX_LEASE = 4.0
