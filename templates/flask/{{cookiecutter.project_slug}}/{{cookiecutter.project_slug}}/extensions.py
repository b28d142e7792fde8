{% if cookiecutter.database == "none" and not cookiecutter.forms %}
"""The Flask extensions, created once here and bound to each app in create_app().

None yet. To add one, create it here without an app (for example
`cache = Cache()`) and call `cache.init_app(app)` in create_app().
"""
{% else %}
"""The Flask extensions, created once here and bound to each app in create_app()."""

{% endif %}
{% if cookiecutter.database != "none" %}
from datetime import datetime

{% endif %}
{% if cookiecutter.accounts %}
from flask_login import LoginManager
{% endif %}
{% if cookiecutter.database != "none" %}
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
{% endif %}
{% if cookiecutter.forms %}
from flask_wtf.csrf import CSRFProtect
{% endif %}
{% if cookiecutter.database != "none" %}
from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase, registry


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
        # Mapped[datetime] columns keep their time zone.
        type_annotation_map={datetime: DateTime(timezone=True)},
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
{% endif %}
{% if cookiecutter.accounts %}

login_manager = LoginManager()
# Anonymous users who open a login_required page are sent here, not given a bare 401.
login_manager.login_view = "auth.login"
login_manager.login_message_category = "info"
{% endif %}
{% if cookiecutter.forms %}

{% if cookiecutter.api %}
# Every POST, PUT, PATCH and DELETE must carry a CSRF token, except the JSON API's.
{% else %}
# Every POST, PUT, PATCH and DELETE must carry a CSRF token.
{% endif %}
csrf = CSRFProtect()
{% endif %}
