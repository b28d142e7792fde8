from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from .limits import login_blocked


class LimitedModelBackend(ModelBackend):
    """Django's username and password check, refused while a login limit holds."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and login_blocked(request, username):
            # authenticate() stops here, before any password is checked.
            raise PermissionDenied
        return super().authenticate(request, username, password, **kwargs)

    def user_can_authenticate(self, user):
        """Active, and not waiting for its address to be confirmed."""
        return super().user_can_authenticate(user) and not user.email_unconfirmed
