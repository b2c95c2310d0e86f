"""gunicorn's settings for Makegood (read from the working directory: `./dev demo`, the benchmark).

The application is loaded once, in the master, before the workers fork (`preload_app`), and
warmed there (`makegood.wsgi` imports every view and the API's schemas and loads the feeling
detector). A worker's first request is then as fast as its hundredth (it took about 200 ms more),
and a restart serves at once.
The objects loaded so far are frozen out of the garbage collector: they live as long as the
process, and scanning them made each full collection take 30 to 45 ms in the middle of a request.
On SQLite each worker then starts a thread that checkpoints the WAL outside the writers' lock
(`makegood/sqlite/checkpoints.py`); only after the fork, never in the master.
"""

import gc

preload_app = True


def pre_fork(server: object, worker: object) -> None:
    gc.freeze()


def post_fork(server: object, worker: object) -> None:
    from makegood.sqlite.checkpoints import checkpointer_start_for_databases

    checkpointer_start_for_databases()
