from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView


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
