"""Real worker processes, killed and restarted: no task lost, none run twice, and the outbox's
messages (here the acknowledgements, one per case) each delivered exactly once.

These start `makegood worker` processes (and `makegood migrate`, `makegood shell`) on a throwaway
database of the kind the suite runs on: a temporary SQLite file, or a PostgreSQL database.
"""

import signal
from collections import Counter
from pathlib import Path

import pytest

from makegood.worker.tests.processes import ThrowawayDatabase, Workers, makegood, migrated_template

# Every message leaving Makegood is sent by this task (the outbox); an acknowledgement is one.
ACK_TASK = "makegood.outbox.tasks.deliver_message"
NOTE_TASK = "makegood.worker.tests.tasks.note_run"
# A worker silent for 3 s is dead; a live one beats every 0.3 s, ten times the margin.
FAST_RECOVERY = {"MAKEGOOD_WORKER_HEARTBEAT_EVERY": "0.3", "MAKEGOOD_WORKER_STALE_AFTER": "3"}


@pytest.fixture(scope="module")
def fresh_database(tmp_path_factory):
    with migrated_template(tmp_path_factory.mktemp("worker-databases")) as copy:
        yield copy


@pytest.fixture
def workers(tmp_path):
    started = Workers(tmp_path)
    yield started
    started.kill_all()


def open_web_cases(database: ThrowawayDatabase, count: int) -> None:
    """Open cases as the complaint form does; each enqueues its acknowledgement e-mail on commit."""
    makegood(
        "shell",
        "-c",
        "from makegood.intake.opening import case_open\n"
        f"for i in range({count}):\n"
        "    case_open(channel='web', customer_name=f'Customer {i}', customer_email=f'customer{i}@example.com',"
        " story='My order arrived broken.')\n",
        database_url=database.url,
    )


def ack_events_per_case(database: ThrowawayDatabase) -> Counter[int]:
    rows = database.rows("SELECT case_id FROM cases_caseevent WHERE kind = 'ack_email_sent'")
    return Counter(case_id for (case_id,) in rows)


def undelivered(database: ThrowawayDatabase) -> int:
    [(count,)] = database.rows("SELECT count(*) FROM outbox_outboxmessage WHERE state <> 'delivered'")
    return int(count)


def attempts_per_case(database: ThrowawayDatabase) -> dict[int, int]:
    rows = database.rows("SELECT key, attempts FROM outbox_outboxmessage WHERE purpose = 'cases.acknowledgement'")
    return {int(key.split(":")[1]): attempts for key, attempts in rows}


def mails_per_case(mail_dir: Path) -> Counter[int]:
    # Files are named `<reference>.<random>.eml`, the reference being `MG-<year>-<case id>`.
    return Counter(int(path.name.split(".")[0].rsplit("-", 1)[1]) for path in mail_dir.glob("MG-*.eml"))


def test_a_worker_killed_in_the_middle_of_an_email_loses_nothing_and_doubles_nothing(fresh_database, workers, tmp_path):
    database = fresh_database("crash")
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    open_web_cases(database, 8)
    case_ids = {case_id for (case_id,) in database.rows("SELECT id FROM cases_case")}
    assert len(database.tasks(ACK_TASK)) == 8

    # Worker A sends two e-mails, then hangs in the middle of the third send: killed there.
    first = workers.start("worker-a", database, MG_TEST_MAIL_DIR=str(mail_dir), MG_TEST_HANG_AT="3", **FAST_RECOVERY)
    hanging = workers.wait_for(lambda: list(mail_dir.glob("hanging.*")), what="worker A to hang mid-send")
    assert workers.kill(first) == -signal.SIGKILL

    interrupted_case = int(hanging[0].name.rsplit("-", 1)[1])
    assert sum(mails_per_case(mail_dir).values()) == 2
    assert mails_per_case(mail_dir)[interrupted_case] == 0
    # The half-done send's transaction died with the process: no event, and the task is left
    # RUNNING under a worker that no longer beats.
    assert ack_events_per_case(database)[interrupted_case] == 0
    running = [task for task in database.tasks(ACK_TASK) if task["status"] == "RUNNING"]
    assert [task["worker_ids"] for task in running] == [["worker-a"]]

    # Worker B starts, sends the rest, takes A's interrupted task back once A is stale; the
    # message it was sending is sent again once its lease runs out (the outbox's sweep).
    second = workers.start("worker-b", database, MG_TEST_MAIL_DIR=str(mail_dir), **FAST_RECOVERY)
    workers.wait_for(
        lambda: undelivered(database) == 0 and all(task["status"] == "SUCCESSFUL" for task in database.tasks(ACK_TASK)),
        what="every acknowledgement to be sent",
    )
    assert workers.stop(second) == 0

    assert mails_per_case(mail_dir) == Counter(dict.fromkeys(case_ids, 1))
    assert ack_events_per_case(database) == Counter(dict.fromkeys(case_ids, 1))
    # Claimed twice (the interrupted attempt, then the one after the lease), sent once.
    assert attempts_per_case(database)[interrupted_case] == 2
    retried = {task["id"]: task for task in database.tasks(ACK_TASK)}[running[0]["id"]]
    assert retried["worker_ids"] == ["worker-a", "worker-b"]
    assert f"Requeued task id={retried['id']}" in workers.log("worker-b")
    assert "interrupted when worker worker-a stopped" in workers.log("worker-b")
    # B stopped cleanly and said so; A's heartbeat is what told B that A was dead.
    assert database.rows("SELECT worker_id FROM worker_workerheartbeat") == [("worker-a",)]


def test_a_worker_stopped_twice_mid_send_leaves_the_email_to_its_restart_not_to_the_bin(
    fresh_database, workers, tmp_path
):
    database = fresh_database("force")
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    open_web_cases(database, 2)
    first = workers.start("worker-a", database, MG_TEST_MAIL_DIR=str(mail_dir), MG_TEST_HANG_AT="1")
    workers.wait_for(lambda: list(mail_dir.glob("hanging.*")), what="the worker to hang mid-send")

    # Ctrl-C twice: the first asks it to finish the task, the second not to wait.
    first.send_signal(signal.SIGTERM)
    workers.wait_for(lambda: "shutting down gracefully" in workers.log("worker-a"), what="the first signal")
    first.send_signal(signal.SIGTERM)
    assert workers.wait(first) == 1
    running = [task for task in database.tasks(ACK_TASK) if task["status"] == "RUNNING"]
    assert len(running) == 1  # not FAILED: it will be retried

    # Restarted under the same id, it takes its task back at once, without waiting to go stale.
    second = workers.start("worker-a", database, MG_TEST_MAIL_DIR=str(mail_dir))
    workers.wait_for(
        lambda: undelivered(database) == 0 and all(task["status"] == "SUCCESSFUL" for task in database.tasks(ACK_TASK)),
        what="both acknowledgements to be sent",
        timeout=60,
    )
    assert workers.stop(second) == 0

    case_ids = {case_id for (case_id,) in database.rows("SELECT id FROM cases_case")}
    assert mails_per_case(mail_dir) == Counter(dict.fromkeys(case_ids, 1))
    assert ack_events_per_case(database) == Counter(dict.fromkeys(case_ids, 1))
    retried = {task["id"]: task for task in database.tasks(ACK_TASK)}[running[0]["id"]]
    assert retried["worker_ids"] == ["worker-a", "worker-a"]


def test_three_workers_draining_one_queue_run_each_task_exactly_once(fresh_database, workers, tmp_path):
    database = fresh_database("drain")
    runs = tmp_path / "runs"
    runs.mkdir()
    names = [f"worker-{n}" for n in (1, 2, 3)]
    processes = [workers.start(name, database) for name in names]
    workers.wait_for(
        lambda: len(database.rows("SELECT worker_id FROM worker_workerheartbeat")) == 3,
        what="three workers to start",
    )

    makegood(
        "shell",
        "-c",
        "from makegood.worker.tests.tasks import note_run\n"
        f"for i in range(100):\n    note_run.enqueue({str(runs)!r}, str(i), 0.02)\n",
        database_url=database.url,
    )
    workers.wait_for(
        lambda: sum(task["status"] == "SUCCESSFUL" for task in database.tasks(NOTE_TASK)) == 100,
        what="the 100 tasks to run",
    )
    for process in processes:
        assert workers.stop(process) == 0

    run_files = [path.name.split(".") for path in runs.iterdir()]
    assert Counter(key for key, _, _ in run_files) == Counter({str(i): 1 for i in range(100)})
    assert all(len(task["worker_ids"]) == 1 for task in database.tasks(NOTE_TASK))
    # The work was shared, not done by one worker while the others waited on a lock.
    assert len({pid for _, pid, _ in run_files}) >= 2
