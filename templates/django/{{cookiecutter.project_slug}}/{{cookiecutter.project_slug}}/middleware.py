"""Response headers that neither Django nor django-csp sets."""

from django.conf import settings


def permissions_policy(get_response):
    """Send Permissions-Policy: browser features no page of the site uses are off."""

    def middleware(request):
        response = get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware
