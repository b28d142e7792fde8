"""Background tasks: RQ jobs kept in Redis (REDIS_URL), run by `flask worker`.

`enqueue(function, *args)` puts a job on the queue and returns at once; a worker
runs it in a fresh app context, so a job uses current_app and the extensions as a
request does. A job's function must be importable by name (defined at module
level) and its arguments picklable.
https://python-rq.org/docs/
"""

import time

import click
from flask import Blueprint, Flask, current_app
from redis import Redis
from rq import Queue, SimpleWorker
from rq.job import Job, JobStatus

# cli_group=None: the command is `flask worker`, not `flask tasks worker`.
bp = Blueprint("tasks", __name__, cli_group=None)

# How long /healthz/worker waits for a worker to run the job it enqueues.
WORKER_WAIT = 5.0


def init_app(app: Flask) -> None:
    """Give the app its queue (the connection opens on first use) and its routes."""
    if app.config["REDIS_URL"]:
        connection = Redis.from_url(app.config["REDIS_URL"])
        app.extensions["tasks"] = Queue(connection=connection)
    app.register_blueprint(bp)


def get_queue() -> Queue:
    """Return the app's queue; the tests put an in-process one here."""
    queue = current_app.extensions.get("tasks")
    if queue is None:
        raise RuntimeError(
            "REDIS_URL is not set: background tasks need a Redis server,"
            " e.g. REDIS_URL=redis://localhost:6379/0"
        )
    return queue


def enqueue(function, *args, **kwargs) -> Job:
    """Queue function(*args, **kwargs) for a worker; return its job at once."""
    return get_queue().enqueue(function, *args, **kwargs)


def heartbeat() -> str:
    """Do nothing but finish: /healthz/worker enqueues it to see a worker run a job."""
    return "ok"


class AppWorker(SimpleWorker):
    """An RQ worker that runs each job in its own app context, in its own process."""

    def __init__(self, *args, app: Flask, **kwargs):
        super().__init__(*args, **kwargs)
        self.app = app

    def execute_job(self, job: Job, queue: Queue) -> None:
        with self.app.app_context():
            super().execute_job(job, queue)


@bp.cli.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs waiting, then exit.")
def worker_command(burst: bool) -> None:
    """Run background jobs as they arrive (stop with Ctrl-C or SIGTERM)."""
    queue = get_queue()
    app = current_app._get_current_object()  # the app itself, not the proxy
    worker = AppWorker([queue], connection=queue.connection, app=app)
    worker.work(burst=burst)


@bp.get("/healthz/worker")
def worker_health():
    """200 when a worker runs a job within WORKER_WAIT seconds, else 503."""
    # An unrun heartbeat expires after a minute, so a stopped worker leaves no pile.
    job = enqueue(heartbeat, ttl=60, result_ttl=60)
    deadline = time.monotonic() + WORKER_WAIT
    while job.get_status() != JobStatus.FINISHED and time.monotonic() < deadline:
        time.sleep(0.1)
    if job.get_status() == JobStatus.FINISHED:
        return {"status": "ok", "worker": "ok"}
    return {
        "status": "error",
        "worker": f"no job run within {WORKER_WAIT:g} s",
    }, 503
