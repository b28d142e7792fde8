"""The site's background tasks: run by `python manage.py db_worker`, not by the request.

A task is a function with @task; `.enqueue(...)` stores it in the database and returns
at once, and a worker runs it. Its arguments and return value must be JSON.
https://docs.djangoproject.com/en/6.0/topics/tasks/
"""

from django_tasks import task


@task()
def heartbeat() -> str:
    """Do nothing but finish: /healthz/worker enqueues it to see a worker run a task."""
    return "ok"
