from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from .limits import login_blocked


class LimitedModelBackend(ModelBackend):
    """Log in by username or email address, refused while a login limit holds."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and login_blocked(request, username):
            # authenticate() stops here, before any password is checked.
            raise PermissionDenied
        user = super().authenticate(request, username, password, **kwargs)
        if user is None and username and password and "@" in username:
            return self.authenticate_by_email(username.strip(), password)
        return user

    def authenticate_by_email(self, email, password):
        """The account with this address (in any case) if the password is its own."""
        User = get_user_model()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            # Hash anyway, so an unknown address takes as long as a known one.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user):
        """Active, and not waiting for its address to be confirmed."""
        return super().user_can_authenticate(user) and not user.email_unconfirmed
