from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework.routers import APIRootView, DefaultRouter
from rest_framework.throttling import ScopedRateThrottle

from .views import UserViewSet

app_name = "api"


class PublicAPIRootView(APIRootView):
    """The list of endpoints is public, like the schema; the endpoints are not."""

    permission_classes = [AllowAny]


class ThrottledObtainAuthToken(ObtainAuthToken):
    """Each request checks a password, so it has the strict "token" rate."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"


router = DefaultRouter()
router.APIRootView = PublicAPIRootView
router.register("users", UserViewSet)

urlpatterns = [
    path("", include(router.urls)),
    # POST username and password, get a token for the "Authorization: Token ..." header.
    path("token/", ThrottledObtainAuthToken.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI with its start-up script as a file of its own, as the site's
    # Content-Security-Policy allows no inline script; its page has inline styles.
    path(
        "docs/",
        csp_update({"style-src": [SELF, UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
]
