from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self):
{%- if cookiecutter.accounts %}
        # Registers the deploy checks and the failed-login counter.
        from accounts import checks, limits  # noqa: F401
{%- else %}
        from accounts import limits  # noqa: F401  (registers the failed-login counter)
{%- endif %}
