from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from .views import UserViewSet

app_name = "api"

router = DefaultRouter()
router.register("users", UserViewSet)

urlpatterns = [
    path("", include(router.urls)),
    # POST username and password, get a token for the "Authorization: Token ..." header.
    path("token/", obtain_auth_token, name="token"),
]
