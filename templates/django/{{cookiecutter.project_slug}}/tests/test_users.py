import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import User


def test_custom_user_model_is_active():
    """AUTH_USER_MODEL is the project's own model, so it can grow fields later."""
    assert get_user_model() is User


@pytest.mark.django_db
def test_create_user():
    """A new user has a hashed password and no staff rights."""
    user = User.objects.create_user("alice", "alice@example.com", "s3cret-enough")
    assert user.check_password("s3cret-enough")
    assert not user.is_staff


@pytest.mark.django_db
def test_create_superuser():
    """createsuperuser's path gives staff and superuser rights."""
    user = User.objects.create_superuser("root", "root@example.com", "s3cret-enough")
    assert user.is_staff
    assert user.is_superuser


def test_users_in_admin(admin_client):
    """Staff manage users in the admin."""
    for name in ["admin:accounts_user_changelist", "admin:accounts_user_add"]:
        assert admin_client.get(reverse(name)).status_code == 200
