import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError
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


@pytest.mark.django_db
def test_an_email_belongs_to_one_account_whatever_its_case():
    """The database refuses a second account for an address in another case."""
    User.objects.create_user("alice", "alice@example.com", "s3cret-enough")
    with pytest.raises(IntegrityError):
        User.objects.create_user("mallory", "ALICE@example.com", "s3cret-enough")


@pytest.mark.django_db
def test_accounts_without_an_email_are_allowed():
    """createsuperuser may leave the address empty, for more than one account."""
    User.objects.create_user("first", "", "s3cret-enough")
    User.objects.create_user("second", "", "s3cret-enough")
    assert User.objects.filter(email="").count() == 2
