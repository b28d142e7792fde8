from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """The site's user, in place from the first migration so it can grow fields later.

    Add fields here rather than in a separate profile table; see
    https://docs.djangoproject.com/en/5.2/topics/auth/customizing/#using-a-custom-user-model-when-starting-a-project
    """
