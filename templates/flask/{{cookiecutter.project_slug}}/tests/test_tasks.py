"""Background tasks: the queue, `flask worker`, /healthz/worker{% if cookiecutter.accounts %} and the mail jobs{% endif %}."""

{% if cookiecutter.accounts %}
import logging

{% endif %}
import pytest
from fakeredis import FakeRedis
from flask import current_app
from rq import Queue

from {{ cookiecutter.project_slug }} import config, create_app, tasks


def app_name() -> str:
    """A job that needs the app context."""
    return current_app.name


@pytest.fixture
def waiting_queue(app):
    """A queue whose jobs wait for a worker, as in production (in-memory Redis)."""
    queue = Queue(connection=FakeRedis())
    app.extensions["tasks"] = queue
    return queue


def test_a_job_runs_in_the_app_context(app):
    """The tests run each job as it is enqueued (conftest)."""
    with app.app_context():
        job = tasks.enqueue(app_name)
    assert job.return_value() == app.name


def test_a_job_waits_until_the_worker_runs_it(app, runner, waiting_queue):
    """`flask worker` takes the job from Redis and runs it in the app context."""
    with app.app_context():
        job = tasks.enqueue(app_name)
    assert job.get_status() == "queued"
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert job.get_status() == "finished"
    assert job.return_value() == app.name


def test_worker_health_answers_when_a_job_runs(client):
    response = client.get("/healthz/worker")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "worker": "ok"}


def test_worker_health_is_503_when_no_worker_runs_the_job(
    client, waiting_queue, monkeypatch
):
    monkeypatch.setattr(tasks, "WORKER_WAIT", 0.2)
    response = client.get("/healthz/worker")
    assert response.status_code == 503
    assert response.json["status"] == "error"


def test_production_refuses_to_start_without_redis_url(monkeypatch):
    """Production does not start without the Redis server its jobs wait in."""
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "x" * 50)
    monkeypatch.setattr(config.ProductionConfig, "TRUSTED_HOSTS", ["localhost"])
    monkeypatch.setattr(config.ProductionConfig, "REDIS_URL", "")
    with pytest.raises(RuntimeError, match="REDIS_URL"):
        create_app("production")
{% if cookiecutter.accounts %}


def test_reset_mail_waits_for_the_worker(
    app, client, runner, user, waiting_queue, caplog
):
    """The reset page enqueues its mail; the worker sends it, after the response."""
    with caplog.at_level(logging.INFO):
        client.post("/auth/reset", data={"email": user})
        assert f"To: {user}" not in caplog.text
        assert len(waiting_queue) == 1
        result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert f"To: {user}" in caplog.text
    assert "/auth/reset/" in caplog.text
{% endif %}
