{% if cookiecutter.database == "none" and not cookiecutter.forms and not cookiecutter.api %}
"""The Flask extensions, created once here and bound to each app in create_app().

None yet. To add one, create it here without an app (for example
`cache = Cache()`) and call `cache.init_app(app)` in create_app().
"""
{% else %}
"""The Flask extensions, created once here and bound to each app in create_app()."""

{% endif %}
{% if cookiecutter.database != "none" %}
from datetime import UTC, datetime

{% endif %}
{% if cookiecutter.accounts %}
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
{% endif %}
{% if cookiecutter.database != "none" %}
from flask_migrate import Migrate
{% endif %}
{% if cookiecutter.api %}
from flask_smorest import Api
{% endif %}
{% if cookiecutter.database != "none" %}
from flask_sqlalchemy import SQLAlchemy
{% endif %}
{% if cookiecutter.forms %}
from flask_wtf.csrf import CSRFProtect
{% endif %}
{% if cookiecutter.database != "none" %}
from sqlalchemy import DateTime, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, registry


class UTCDateTime(TypeDecorator):
    """A time zone aware datetime, stored in UTC, read back in UTC on every database.

    PostgreSQL keeps the zone; SQLite drops it, so naive values read back are UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("store time zone aware datetimes, such as now(UTC)")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None:
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value
            value = value.astimezone(UTC)
        return value


class Base(DeclarativeBase):
    """The models' base class; fixed constraint names keep migrations reproducible."""

    registry = registry(
        metadata=MetaData(
            naming_convention={
                "ix": "ix_%(column_0_label)s",
                "uq": "uq_%(table_name)s_%(column_0_name)s",
                "ck": "ck_%(table_name)s_%(constraint_name)s",
                "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
                "pk": "pk_%(table_name)s",
            }
        ),
        # Mapped[datetime] columns are aware and in UTC, whatever the database.
        type_annotation_map={datetime: UTCDateTime()},
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
{% endif %}
{% if cookiecutter.accounts %}

login_manager = LoginManager()
# Anonymous users who open a login_required page are sent here, not given a bare 401.
login_manager.login_view = "auth.login"
login_manager.login_message_category = "info"

{% if cookiecutter.api %}
# Rate limits per client address, set on the views that need one (login, sign-up,
# API tokens).
{% else %}
# Rate limits per client address, set on the views that need one (login, sign-up).
{% endif %}
limiter = Limiter(get_remote_address)
{% endif %}
{% if cookiecutter.forms %}

{% if cookiecutter.api %}
# Every POST, PUT, PATCH and DELETE must carry a CSRF token, except the JSON API's.
{% else %}
# Every POST, PUT, PATCH and DELETE must carry a CSRF token.
{% endif %}
csrf = CSRFProtect()
{% endif %}
{% if cookiecutter.api %}

# The JSON API's blueprints register through it, which writes their OpenAPI document.
openapi = Api()
{% endif %}
