import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks import TaskResultStatus

from pages import views
from pages.tasks import heartbeat

DATABASE_BACKEND = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


def run_worker():
    """Run every waiting task, as `manage.py db_worker` does, then return."""
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0
    )


# transaction=True: the worker closes the connection between tasks, which would
# end the transaction a plain django_db test runs in.
@pytest.mark.django_db(transaction=True)
def test_a_task_waits_in_the_database_until_the_worker_runs_it(settings):
    """enqueue() stores the task; db_worker runs it and stores its result."""
    settings.TASKS = DATABASE_BACKEND
    result = heartbeat.enqueue()
    result.refresh()
    assert result.status == TaskResultStatus.READY
    run_worker()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "ok"


@pytest.mark.django_db
def test_worker_health_answers_when_a_task_runs(client):
    """The tests run tasks at once (conftest), as a quick worker would."""
    response = client.get(reverse("worker_healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "worker": "ok"}


@pytest.mark.django_db
def test_worker_health_is_503_when_no_worker_runs_the_task(
    client, settings, monkeypatch
):
    settings.TASKS = DATABASE_BACKEND
    monkeypatch.setattr(views, "WORKER_WAIT", 0.2)
    response = client.get(reverse("worker_healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "error"
