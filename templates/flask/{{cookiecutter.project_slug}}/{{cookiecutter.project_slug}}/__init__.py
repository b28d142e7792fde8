"""{{ cookiecutter.project_name }}: the application factory."""

import sentry_sdk
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

{% set blueprints = ["main", "errors"] + (["auth"] if cookiecutter.accounts else []) %}
{% set modules = blueprints + (["api"] if cookiecutter.api else []) + ["security"] + (["admin"] if cookiecutter.admin else []) + (["csrf"] if not cookiecutter.forms and cookiecutter.database != "none" else []) + (["rate_limits"] if cookiecutter.accounts else []) + (["tasks"] if cookiecutter.tasks else []) %}
from . import {{ modules | sort | join(", ") }}
from .config import Config, load_config
{% set extensions = (["csrf"] if cookiecutter.forms else []) + (["db"] if cookiecutter.database != "none" else []) + (["login_manager"] if cookiecutter.accounts else []) + (["migrate"] if cookiecutter.database != "none" else []) %}
{% if extensions %}
from .extensions import {{ extensions | join(", ") }}
{% endif %}


def create_app(config: str | type[Config] | None = None) -> Flask:
    """Create the app; `config` is a config class or name (default: $FLASK_CONFIG)."""
    config_class = config if isinstance(config, type) else load_config(config)
    app = Flask(__name__)
    app.config.from_object(config_class)
    config_class.init_app(app)
    if app.config["SENTRY_DSN"]:
        # Errors reach someone: sentry-sdk reports each unhandled one, without
        # passwords, cookies or other personal data.
        sentry_sdk.init(dsn=app.config["SENTRY_DSN"], send_default_pii=False)
    proxies = app.config["PROXY_COUNT"]
    if proxies:
        # Client address, scheme and host as the proxies in front of the app saw them.
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )

{% if cookiecutter.database != "none" %}
    db.init_app(app)
    migrate.init_app(app, db)
{% endif %}
{% if cookiecutter.accounts %}
    login_manager.init_app(app)
    rate_limits.init_app(app)
{% endif %}
{% if cookiecutter.forms %}
    csrf.init_app(app)
{% if cookiecutter.api %}
    # The API takes only JSON bodies, which a cross-site form cannot send.
    csrf.exempt(api.bp)
{% endif %}
{% elif cookiecutter.database != "none" %}
    csrf.init_app(app)
{% endif %}
    security.init_app(app)
{% if cookiecutter.tasks %}
    tasks.init_app(app)
{% endif %}
{% if cookiecutter.api %}
    # Before the errors blueprint, whose handlers then replace flask-smorest's.
    api.init_app(app)
{% endif %}

{% for name in blueprints %}
    app.register_blueprint({{ name }}.bp)
{% endfor %}
{% if cookiecutter.admin %}
    admin.init_app(app)
{% endif %}
    return app
