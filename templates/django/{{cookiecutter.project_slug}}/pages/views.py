{% if cookiecutter.tasks -%}
import time

{% endif -%}
from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView
{%- if cookiecutter.tasks %}
from django_tasks import TaskResultStatus

from .tasks import heartbeat

# How long /healthz/worker waits for a worker to run the task it enqueues.
WORKER_WAIT = 5.0
{%- endif %}


class HomePageView(TemplateView):
    template_name = "pages/home.html"


@never_cache
@require_safe
def healthz(request):
    """200 while the process serves requests, without touching the database.

    `/healthz?database=1` also runs one query: 503 when the database is unreachable.
    """
    if request.GET.get("database"):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            return JsonResponse(
                {"status": "error", "database": "unreachable"}, status=503
            )
        return JsonResponse({"status": "ok", "database": "ok"})
    return JsonResponse({"status": "ok"})
{%- if cookiecutter.tasks %}


@never_cache
@require_safe
def worker_healthz(request):
    """200 when a worker runs a task enqueued now within WORKER_WAIT seconds; else 503.

    It checks the whole path a task takes: the queue table, a running
    `manage.py db_worker`, and the result it stores.
    """
    result = heartbeat.enqueue()
    deadline = time.monotonic() + WORKER_WAIT
    while result.status != TaskResultStatus.SUCCESSFUL and time.monotonic() < deadline:
        time.sleep(0.1)
        result.refresh()
    if result.status == TaskResultStatus.SUCCESSFUL:
        return JsonResponse({"status": "ok", "worker": "ok"})
    return JsonResponse(
        {"status": "error", "worker": f"no task run within {WORKER_WAIT:g} s"},
        status=503,
    )
{%- endif %}
