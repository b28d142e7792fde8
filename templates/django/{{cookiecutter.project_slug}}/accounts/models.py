from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """The site's user, in place from the first migration so it can grow fields later.

    Add fields here rather than in a separate profile table; see
    https://docs.djangoproject.com/en/5.2/topics/auth/customizing/#using-a-custom-user-model-when-starting-a-project
    """

    # Set by sign-up until the link mailed to the address is opened: such an account
    # cannot log in. Accounts made by createsuperuser, the admin or code are trusted.
    email_unconfirmed = models.BooleanField(
        "email address unconfirmed",
        default=False,
        help_text="Signed up, but has not yet opened the link mailed to confirm the "
        "address; the account cannot log in until then.",
    )

    class Meta(AbstractUser.Meta):
        constraints = [
            # Password reset finds accounts by address, so one address is one account,
            # whatever its case. Accounts without an address are allowed (createsuperuser).
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="unique_email_ignoring_case",
                violation_error_message="An account with this email address already exists.",
            ),
        ]
